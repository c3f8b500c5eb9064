import { pinyin } from 'pinyin-pro';
import type { Matter } from '@shared/api';

/** The pinyin initials of a Chinese text, letters and digits only: 社会保障卡 → shbzk. */
function initialsOf(text: string): string {
  return pinyin(text, { pattern: 'first', toneType: 'none', type: 'array' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * What a clerk may type in pinyin initials to find a matter: those of its name and of each of its other
 * names, space-separated so a query never matches across two of them. Computed when a matter is written,
 * so a search reads it and never converts anything.
 */
export function matterInitials(m: Pick<Matter, 'nameZh' | 'keywords'>): string {
  return [m.nameZh, ...m.keywords]
    .map(initialsOf)
    .filter((s) => s.length > 0)
    .join(' ');
}

/**
 * Whether a matter answers a search: its code, Chinese or English name, one of its other names, or (for a
 * query of letters only) the pinyin initials of its name or of another name.
 */
export function matterMatches(m: Matter, initials: string, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  if (m.code.toLowerCase().includes(q) || m.nameZh.includes(q) || m.nameEn.toLowerCase().includes(q)) return true;
  if (m.keywords.some((k) => k.toLowerCase().includes(q))) return true;
  return /^[a-z]+$/.test(q) && initials.split(' ').some((w) => w.includes(q));
}
