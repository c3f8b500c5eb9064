/// <reference types="vite/client" />
import type { RoleBridge } from '@shared/api';

declare global {
  interface Window {
    /** Present only inside the Electron app, set by the window's role preload. */
    onewindow?: RoleBridge;
  }
}

declare module 'vue-router' {
  interface RouteMeta {
    /** The role whose page this is. */
    role?: import('@shared/api').Role;
    /** A page several roles use (print pages): each of them may show it. */
    roles?: readonly import('@shared/api').Role[];
  }
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
