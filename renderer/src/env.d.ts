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
    role?: import('@shared/api').Role;
  }
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
