import type { Migration } from '../migration';
import { matterInitials } from '../../intake/matter-search';

/**
 * Matter search by the names people use (社保卡) and by pinyin initials (sbk): each matter's other names,
 * and the initials of its names computed when it is written (filled in here for the matters already kept).
 */
export const matterSearch: Migration = {
  version: 11,
  name: 'matter keywords and pinyin initials for the matter search',
  up(db) {
    db.exec(`
      ALTER TABLE matters ADD COLUMN keywords TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE matters ADD COLUMN search_initials TEXT NOT NULL DEFAULT '';
    `);
    const rows = db.prepare<[], { code: string; name_zh: string }>('SELECT code, name_zh FROM matters').all();
    const put = db.prepare('UPDATE matters SET search_initials = ? WHERE code = ?');
    for (const r of rows) put.run(matterInitials({ nameZh: r.name_zh, keywords: [] }), r.code);
  },
};
