import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { ANALYSIS_ROLES } from '@shared/console/analysis';
import type { StaffRole } from '@shared/identity/staff';
import { useSessionStore } from './stores/session';
import { officeRoutes } from './views/office/office-routes';

/** Who works cases, who chases feedback, who reads the figures (DOMAIN.md "People and roles"). */
const CASE_ROLES: readonly StaffRole[] = ['department_handler'];
const SUPERVISION_ROLES: readonly StaffRole[] = [
  'department_handler',
  'supervisor',
  'hall_admin',
  'leader',
  'leader_office',
  'central_admin',
];
const FIGURES_ROLES: readonly StaffRole[] = ['supervisor', 'hall_admin', 'leader', 'leader_office', 'central_admin'];
/** Halls, devices, staff, the matter catalog and the calendar: central's administrators, and each hall's for its own. */
const ADMIN_ROLES: readonly StaffRole[] = ['central_admin', 'hall_admin'];
/** SMS notices that could not be sent: central's administrators every hall's, a hall's supervisors and administrators theirs. */
const NOTICE_ROLES: readonly StaffRole[] = ['central_admin', 'hall_admin', 'supervisor'];
/**
 * Devices' audit chain alarms: central's administrators only. No role supervises security on its own; a
 * hall's people run the very devices whose chains are in question.
 */
export const AUDIT_ALARM_ROLES: readonly StaffRole[] = ['central_admin'];

/**
 * The console's pages. A page with `meta.nav` is in the navigation for the roles in `meta.roles`, so a new
 * screen (the administration of issue 15) is one more entry here with its roles.
 */
export const routes: RouteRecordRaw[] = [
  {
    path: '/sign-in',
    name: 'sign-in',
    component: () => import('./views/SignIn.vue'),
    meta: { public: true, title: 'signIn.title' },
  },
  { path: '/', name: 'home', component: () => import('./views/HomeRedirect.vue'), meta: { title: 'app.title' } },
  {
    path: '/cases',
    name: 'cases',
    component: () => import('./views/WorkQueue.vue'),
    meta: { roles: CASE_ROLES, nav: { label: 'nav.cases', order: 10 }, title: 'queue.title' },
  },
  {
    path: '/cases/:caseId',
    name: 'case',
    component: () => import('./views/CasePage.vue'),
    meta: { roles: CASE_ROLES, title: 'case.summary' },
  },
  {
    path: '/supervision',
    name: 'supervision',
    component: () => import('./views/SupervisionQueue.vue'),
    meta: { roles: SUPERVISION_ROLES, nav: { label: 'nav.supervision', order: 20 }, title: 'supervision.title' },
  },
  {
    path: '/supervision/:feedbackId',
    name: 'feedback',
    component: () => import('./views/FeedbackPage.vue'),
    meta: { roles: SUPERVISION_ROLES, title: 'feedbackDetail.info' },
  },
  {
    path: '/figures',
    name: 'figures',
    component: () => import('./views/RatingFigures.vue'),
    meta: { roles: FIGURES_ROLES, nav: { label: 'nav.figures', order: 30 }, title: 'figures.title' },
  },
  ...officeRoutes,
  {
    path: '/analysis',
    name: 'analysis',
    component: () => import('./views/AnalysisPage.vue'),
    meta: { roles: ANALYSIS_ROLES, nav: { label: 'analysis.nav', order: 40 }, title: 'analysis.title' },
  },
  {
    path: '/catalog/matters',
    name: 'catalog-matters',
    component: () => import('./views/catalog/MatterList.vue'),
    meta: { roles: ADMIN_ROLES, nav: { label: 'catalog.nav.matters', order: 60 }, title: 'catalog.matters.title' },
  },
  {
    path: '/catalog/matters/new',
    name: 'catalog-matter-new',
    component: () => import('./views/catalog/MatterEdit.vue'),
    meta: { roles: ADMIN_ROLES, title: 'catalog.matter.newTitle' },
  },
  {
    path: '/catalog/matters/:scope/:code',
    name: 'catalog-matter',
    component: () => import('./views/catalog/MatterEdit.vue'),
    meta: { roles: ADMIN_ROLES, title: 'catalog.matters.title' },
  },
  {
    path: '/catalog/departments',
    name: 'catalog-departments',
    component: () => import('./views/catalog/DepartmentList.vue'),
    meta: {
      roles: ADMIN_ROLES,
      nav: { label: 'catalog.nav.departments', order: 61 },
      title: 'catalog.departments.title',
    },
  },
  {
    path: '/calendar',
    name: 'calendar',
    component: () => import('./views/catalog/CalendarPage.vue'),
    meta: { roles: ADMIN_ROLES, nav: { label: 'catalog.nav.calendar', order: 62 }, title: 'catalog.calendar.title' },
  },
  {
    path: '/admin/halls',
    name: 'admin-halls',
    component: () => import('./views/admin/HallsPage.vue'),
    meta: { roles: ADMIN_ROLES, nav: { label: 'admin.nav.halls', order: 40 }, title: 'admin.halls.title' },
  },
  {
    path: '/admin/halls/:hallId/devices',
    name: 'admin-devices',
    component: () => import('./views/admin/HallDevicesPage.vue'),
    meta: { roles: ADMIN_ROLES, title: 'admin.nav.halls' },
  },
  {
    path: '/admin/staff',
    name: 'admin-staff',
    component: () => import('./views/admin/StaffPage.vue'),
    meta: { roles: ADMIN_ROLES, nav: { label: 'admin.nav.staff', order: 41 }, title: 'admin.staff.title' },
  },
  {
    path: '/notices/dead-letters',
    name: 'notice-dead-letters',
    component: () => import('./views/NoticeDeadLetters.vue'),
    meta: { roles: NOTICE_ROLES, nav: { label: 'notices.nav', order: 25 }, title: 'notices.title' },
  },
  {
    path: '/audit-alarms',
    name: 'audit-alarms',
    component: () => import('./views/AuditAlarmsPage.vue'),
    meta: {
      roles: AUDIT_ALARM_ROLES,
      nav: { label: 'auditAlarms.nav', order: 45, badge: 'auditAlarms' },
      title: 'auditAlarms.title',
    },
  },
  {
    path: '/forbidden',
    name: 'forbidden',
    component: () => import('./views/ForbiddenPage.vue'),
    meta: { title: 'page.forbidden' },
  },
  {
    path: '/:rest(.*)*',
    name: 'not-found',
    component: () => import('./views/NotFound.vue'),
    meta: { title: 'page.notFound' },
  },
];

export const router = createRouter({ history: createWebHistory('/console/'), routes });

/** The navigation a person sees: the pages their roles may open, in order. */
export function navigationFor(roles: readonly StaffRole[]) {
  return routes
    .filter((r) => r.meta?.nav && (!r.meta.roles || r.meta.roles.some((role) => roles.includes(role))))
    .sort((a, b) => a.meta!.nav!.order - b.meta!.nav!.order)
    .map((r) => ({ name: r.name as string, path: r.path, label: r.meta!.nav!.label, badge: r.meta!.nav!.badge }));
}

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  const session = useSessionStore();
  if (!(await session.restore().catch(() => false))) {
    return { name: 'sign-in', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  }
  if (to.meta.roles && !session.hasAnyRole(to.meta.roles)) {
    return { name: 'forbidden', query: { from: to.fullPath } };
  }
  return true;
});
