import { createRouter, createWebHashHistory } from 'vue-router';
import type { Role } from '@shared/api';
import { prepareLocale } from './i18n';
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
    // The dashboard shows aggregates only: the leader pane opens it without a leader session.
    { path: '/admin/dashboard', component: () => import('./views/DashboardHome.vue'), meta: { role: 'admin' } },
    { path: '/leader/dashboard', component: () => import('./views/DashboardHome.vue'), meta: { role: 'leader' } },
    {
      path: '/print/report/:date(\\d{4}-\\d{2}-\\d{2})',
      component: () => import('./views/PrintReport.vue'),
      meta: { roles: ['admin', 'leader'] },
    },
    // The kiosk prints every ticket it issues; a counter reprints the ticket it serves.
    {
      path: '/print/ticket/:ticketId',
      component: () => import('./views/PrintTicket.vue'),
      meta: { roles: ['kiosk', 'counter'] },
    },
    // The counter prints its case documents in a window of its own role.
    {
      path: '/print/case/:caseId/:paper(a4|80mm)',
      component: () => import('./views/PrintCase.vue'),
      meta: { role: 'counter' },
    },
    // The rating screen is a device of its own (role rate): it pairs with a counter by the code shown there.
    { path: '/rate/:counterId?', component: () => import('./views/RateScreen.vue'), meta: { role: 'rate' } },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

router.beforeEach(async (to) => {
  const session = useSessionStore();
  const fixed = session.fixedRole();
  const roles: readonly Role[] = to.meta.roles ?? (to.meta.role ? [to.meta.role] : []);
  // An Electron window shows its own role's pages only (a print window has the role of the one that asked).
  if (fixed && !roles.includes(fixed)) return `/${fixed}`;
  // In a browser a page shared by roles runs as the role that opened it (`?as=`), else as the first.
  const as = roles.find((r) => r === to.query.as) ?? roles[0];
  const role = fixed ?? as;
  if (role) session.use(role);
  await prepareLocale(role ?? 'chooser');
  return true;
});
