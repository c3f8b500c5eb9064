// Element Plus's variables first: global.css overrides some of them (contrast), and each component's own
// CSS arrives later with the component (vite.config.ts).
import 'element-plus/theme-chalk/base.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import './global.css';
import { i18n } from './i18n';
import { router } from './router';

createApp(App).use(createPinia()).use(i18n).use(router).mount('#app');
