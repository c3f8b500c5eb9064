import type { Language } from 'element-plus/es/locale';
import { shallowReactive } from 'vue';
import { createI18n } from 'vue-i18n';
import type { Role } from '@shared/api';
import type zhCN from './zh-CN/index';

export const LOCALES = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof LOCALES)[number];

/**
 * Each language's words are a chunk of their own, fetched when a page first needs them (issue 18: a kiosk
 * in Chinese has no use for the English ones, and they are a good part of a public screen's download).
 */
const loaders: Record<Locale, () => Promise<{ default: { messages: typeof zhCN; element: Language } }>> = {
  'zh-CN': () => import('./zh-CN/locale'),
  'en-US': () => import('./en-US/locale'),
};

export const i18n = createI18n({ legacy: false, locale: 'zh-CN', fallbackLocale: 'zh-CN', messages: {} });

/** Element Plus's own words (date pickers, empty tables) in each language loaded so far; App.vue hands them on. */
export const elementLocales = shallowReactive<Partial<Record<Locale, Language>>>({});

const loads = new Map<Locale, Promise<void>>();

/** Fetches a language's words once; a failed fetch (the host restarting) is tried again by the next caller. */
export function loadLocale(locale: Locale): Promise<void> {
  let load = loads.get(locale);
  if (!load) {
    load = loaders[locale]().then(({ default: words }) => {
      i18n.global.setLocaleMessage(locale, words.messages);
      elementLocales[locale] = words.element;
    });
    load.catch(() => loads.delete(locale));
    loads.set(locale, load);
  }
  return load;
}

/** The language last asked for: a slow fetch of an earlier choice must not switch the page back to it. */
let wanted: Locale = 'zh-CN';

/** Switches the page's language, at once when its words are loaded (see prepareLocale), else once they are. */
export function setLocale(locale: Locale) {
  wanted = locale;
  const apply = () => {
    if (wanted !== locale) return;
    i18n.global.locale.value = locale;
    document.documentElement.lang = locale;
  };
  if (elementLocales[locale]) apply();
  // Failed: the page stays in the language it shows, and the next switch fetches again.
  else loadLocale(locale).then(apply, () => undefined);
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
const openingLocale = (scope: LocaleScope): Locale => storedLocale(scope) ?? storedLocale('chooser') ?? 'zh-CN';

export function restoreLocale(scope: LocaleScope) {
  setLocale(openingLocale(scope));
}

/**
 * Before a page of `scope` shows (router.ts): the words of the language it opens in and of the one showing
 * now are loaded, so its first frame is already in its language.
 */
export async function prepareLocale(scope: LocaleScope) {
  await Promise.all([loadLocale(openingLocale(scope)), loadLocale(i18n.global.locale.value as Locale)]);
}
