import { createRouter, createWebHistory } from 'vue-router';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'home', component: () => import('./views/HomeView.vue') },
    { path: '/kiosk', name: 'kiosk', component: () => import('./views/kiosk/KioskView.vue'), meta: { role: 'kiosk' } },
    { path: '/kitchen', name: 'kitchen', component: () => import('./views/kitchen/KitchenView.vue'), meta: { role: 'kitchen' } },
    { path: '/board', name: 'board', component: () => import('./views/board/BoardView.vue'), meta: { role: 'board' } },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});
