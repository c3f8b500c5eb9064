import { createI18n } from 'vue-i18n';
import type { Role } from '@shared/api';
import enUS from './en-US/index';
import zhCN from './zh-CN/index';

export const LOCALES = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof LOCALES)[number];

export const i18n = createI18n({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, 'en-US': enUS },
});

export function setLocale(locale: Locale) {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
}

/**
 * Who a language choice belongs to: a role page, the rating screen, or the chooser (whose choice is the
 * default of every page that has none of its own). Kept per page so a clerk who reads English on the counter
 * page does not turn the hall screen or the kiosk beside it into English in the same browser profile.
 */
export type LocaleScope = Role | 'rate' | 'chooser';

const localeKey = (scope: LocaleScope) => `onewindow.locale.${scope}`;
const isLocale = (v: string | null): v is Locale => (LOCALES as readonly (string | null)[]).includes(v);

function storedLocale(scope: LocaleScope): Locale | null {
  try {
    const v = localStorage.getItem(localeKey(scope));
    return isLocale(v) ? v : null;
  } catch {
    return null;
  }
}

/** Switches the language for one scope and remembers it there (a full storage only loses the memory). */
export function chooseLocale(scope: LocaleScope, locale: Locale) {
  setLocale(locale);
  try {
    localStorage.setItem(localeKey(scope), locale);
  } catch {
    // Private mode or a full quota: the choice lasts until the page is reloaded.
  }
}

/** The language a page opens in: its own last choice, else the chooser's, else Chinese. */
export function restoreLocale(scope: LocaleScope) {
  setLocale(storedLocale(scope) ?? storedLocale('chooser') ?? 'zh-CN');
}
