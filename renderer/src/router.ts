import { createRouter, createWebHashHistory } from 'vue-router';
import { useSessionStore } from './stores/session';

/** Hash history: the same URLs work on app:// in Electron and from the browser host, with no server fallback. */
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', component: () => import('./views/RoleChooser.vue') },
    { path: '/kiosk', component: () => import('./views/KioskHome.vue'), meta: { role: 'kiosk' } },
    { path: '/counter', component: () => import('./views/CounterHome.vue'), meta: { role: 'counter' } },
    { path: '/display', component: () => import('./views/DisplayHome.vue'), meta: { role: 'display' } },
    { path: '/leader', component: () => import('./views/LeaderHome.vue'), meta: { role: 'leader' } },
    { path: '/admin', component: () => import('./views/AdminHome.vue'), meta: { role: 'admin' } },
    { path: '/print/ticket/:ticketId', component: () => import('./views/PrintTicket.vue'), meta: { role: 'kiosk' } },
    // The counter prints its case documents and shows its customer screen in a window of its own role.
    {
      path: '/print/case/:caseId/:paper(a4|80mm)',
      component: () => import('./views/PrintCase.vue'),
      meta: { role: 'counter' },
    },
    { path: '/rate/:counterId?', component: () => import('./views/RateScreen.vue'), meta: { role: 'counter' } },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

router.beforeEach((to) => {
  const session = useSessionStore();
  const fixed = session.fixedRole();
  // An Electron window shows its own role's pages only.
  if (fixed && to.meta.role !== fixed) return `/${fixed}`;
  if (to.meta.role) session.use(to.meta.role);
  return true;
});
