import type { RouteRecordRaw } from 'vue-router';
import { OFFICE_ROLES } from '@shared/console/office';

/** The leader's office's pages: the leaders, and each leader's calendar, briefings and files. */
export const officeRoutes: RouteRecordRaw[] = [
  {
    path: '/office',
    name: 'office',
    component: () => import('./OfficeHome.vue'),
    meta: { roles: OFFICE_ROLES, nav: { label: 'office.nav', order: 50 }, title: 'office.title' },
  },
  {
    path: '/office/:staffId',
    component: () => import('./OfficeLeader.vue'),
    meta: { roles: OFFICE_ROLES, title: 'office.title' },
    children: [
      { path: '', redirect: { name: 'office-calendar' } },
      {
        path: 'calendar',
        name: 'office-calendar',
        component: () => import('./OfficeCalendar.vue'),
        meta: { title: 'office.tabs.calendar' },
      },
      {
        path: 'briefings',
        name: 'office-briefings',
        component: () => import('./OfficeBriefings.vue'),
        meta: { title: 'office.tabs.briefings' },
      },
      {
        path: 'files',
        name: 'office-files',
        component: () => import('./OfficeFiles.vue'),
        meta: { title: 'office.tabs.files' },
      },
    ],
  },
];
