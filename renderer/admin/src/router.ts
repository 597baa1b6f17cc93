import { createRouter, createWebHistory } from 'vue-router';
import { useSession } from './session';

export const router = createRouter({
  history: createWebHistory('/admin/'),
  routes: [
    { path: '/sign-in', name: 'sign-in', component: () => import('./views/SignInView.vue'), meta: { public: true } },
    // An invitation link, /admin/invite#<token>: the token stays in the fragment, which no server sees.
    { path: '/invite', name: 'invite', component: () => import('./views/InviteView.vue'), meta: { public: true } },
    { path: '/', redirect: '/stores' },
    { path: '/stores', name: 'stores', component: () => import('./views/StoresView.vue'), meta: { runsStores: true } },
    { path: '/stores/:storeId', name: 'store', component: () => import('./views/StoreView.vue'), props: true, meta: { runsStores: true } },
    { path: '/live-orders', name: 'live-orders', component: () => import('./views/LiveOrdersView.vue'), meta: { runsStores: true } },
    { path: '/reports', name: 'reports', component: () => import('./views/ReportsView.vue'), meta: { runsStores: true } },
    { path: '/menus', name: 'menus', component: () => import('./views/MenusView.vue') },
    { path: '/menus/drafts/:draftId', name: 'menu-editor', component: () => import('./views/MenuEditorView.vue'), props: true, meta: { editsMenus: true } },
    { path: '/people', name: 'people', component: () => import('./views/PeopleView.vue'), meta: { ownerOnly: true } },
    { path: '/audit', name: 'audit', component: () => import('./views/AuditView.vue'), meta: { ownerOnly: true } },
    { path: '/account', name: 'account', component: () => import('./views/AccountView.vue') },
    { path: '/:pathMatch(.*)*', redirect: '/stores' },
  ],
});

router.beforeEach(async (to) => {
  const session = useSession();
  await session.restore().catch(() => undefined);
  if (!to.meta.public && !session.me) return { name: 'sign-in', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
  if (to.meta.ownerOnly && !session.isOwner) return { name: 'stores' };
  // A menu editor's work is the menus: the stores' pages are for their owners and managers.
  if (to.meta.runsStores && !session.runsStores) return { name: 'menus' };
  if (to.meta.editsMenus && !session.editsMenus) return { name: 'menus' };
  if (to.name === 'sign-in' && session.me) return { name: 'stores' };
  return true;
});
