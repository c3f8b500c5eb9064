/// <reference types="vite/client" />
import type { StaffRole } from '@shared/identity/staff';

declare module 'vue-router' {
  interface RouteMeta {
    /** Pages anyone may open (the sign-in); every other page needs a session. */
    public?: boolean;
    /** The roles that may open the page; absent: any signed-in person. */
    roles?: readonly StaffRole[];
    /** A place in the navigation: its message key and order, and the count it shows beside it, if any. */
    nav?: { label: string; order: number; badge?: 'auditAlarms' };
    /** The page's title (message key), for the tab and for screen readers on arrival. */
    title?: string;
  }
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
