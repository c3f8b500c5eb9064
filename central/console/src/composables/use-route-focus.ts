import { nextTick, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRoute } from 'vue-router';

/**
 * On every page change the tab title follows the page, and focus moves to the page's heading, so a screen
 * reader says where the person arrived and the keyboard starts at the top of the new page. A page whose
 * heading comes after its data (a case) calls `focusHeading` again once it has rendered it.
 */
export function useRouteFocus() {
  const route = useRoute();
  const { t, locale } = useI18n();
  const retitle = () => {
    const page = route.meta.title ? t(route.meta.title) : '';
    document.title = page && route.meta.title !== 'app.title' ? `${page} · ${t('app.title')}` : t('app.title');
  };
  watch(() => route.fullPath, retitle, { immediate: true });
  watch(locale, retitle);
  watch(
    () => route.path,
    async (_now, before) => {
      if (before === undefined) return;
      await nextTick();
      focusHeading();
    },
  );
}

/** Focuses the page's first heading (its h1 has tabindex -1). */
export function focusHeading() {
  const h1 = document.querySelector<HTMLElement>('main h1, h1');
  h1?.focus({ preventScroll: false });
}
