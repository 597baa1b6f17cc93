import { createRouter, createWebHistory } from 'vue-router';
import { useSession } from './session';

export const router = createRouter({
  history: createWebHistory('/admin/'),
  routes: [
    { path: '/sign-in', name: 'sign-in', component: () => import('./views/SignInView.vue'), meta: { public: true } },
    { path: '/', redirect: '/stores' },
    { path: '/stores', name: 'stores', component: () => import('./views/StoresView.vue') },
    { path: '/stores/:storeId', name: 'store', component: () => import('./views/StoreView.vue'), props: true },
    { path: '/menus', name: 'menus', component: () => import('./views/MenusView.vue') },
    { path: '/people', name: 'people', component: () => import('./views/PeopleView.vue'), meta: { ownerOnly: true } },
    { path: '/audit', name: 'audit', component: () => import('./views/AuditView.vue'), meta: { ownerOnly: true } },
    { path: '/:pathMatch(.*)*', redirect: '/stores' },
  ],
});

router.beforeEach(async (to) => {
  const session = useSession();
  await session.restore().catch(() => undefined);
  if (!to.meta.public && !session.me) return { name: 'sign-in', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
  if (to.meta.ownerOnly && !session.isOwner) return { name: 'stores' };
  if (to.name === 'sign-in' && session.me) return { name: 'stores' };
  return true;
});
