import type { Notice } from '../stores/counter';
import { i18n } from './index';

/** A notice in the page's language, in the plural form its count asks for when the message has several. */
export const noticeText = (n: Notice): string =>
  n.plural === undefined ? i18n.global.t(n.key, n.params ?? {}) : i18n.global.t(n.key, n.params ?? {}, n.plural);
