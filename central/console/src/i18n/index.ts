import { createI18n } from 'vue-i18n';
import enUS from './en-US/index';
import zhCN from './zh-CN/index';

export const LOCALES = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof LOCALES)[number];

const STORAGE_KEY = 'onewindow.console.locale';
const isLocale = (v: unknown): v is Locale => (LOCALES as readonly unknown[]).includes(v);

export const i18n = createI18n({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, 'en-US': enUS },
});

function apply(locale: Locale) {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
}

/** Switches the console's language and remembers it in this browser (a full storage only loses the memory). */
export function chooseLocale(locale: Locale) {
  apply(locale);
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Private mode or a full quota: the choice lasts until the page is reloaded.
  }
}

/** The language the console opens in: the last choice here, else Chinese. */
export function restoreLocale() {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    stored = null;
  }
  apply(isLocale(stored) ? stored : 'zh-CN');
}
