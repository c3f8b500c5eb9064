import type { Database } from 'better-sqlite3';
import type { HallProfile, HallProfileUpdate } from '@shared/api';

interface Row {
  name: string;
  name_en: string;
  address: string;
  enquiry_phone: string;
  tracking_url: string;
  updated_at: string | null;
}

export function createHallProfileStore(db: Database) {
  const select = db.prepare<[], Row>(
    'SELECT name, name_en, address, enquiry_phone, tracking_url, updated_at FROM hall_profile WHERE id = 1',
  );
  const upsert = db.prepare(`
    INSERT INTO hall_profile (id, name, name_en, address, enquiry_phone, tracking_url, updated_at)
    VALUES (1, @name, @nameEn, @address, @enquiryPhone, @trackingUrl, @updatedAt)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, address = excluded.address,
      enquiry_phone = excluded.enquiry_phone, tracking_url = excluded.tracking_url, updated_at = excluded.updated_at
  `);

  return {
    get(): HallProfile | undefined {
      const row = select.get();
      return (
        row && {
          name: row.name,
          nameEn: row.name_en,
          address: row.address,
          enquiryPhone: row.enquiry_phone,
          trackingUrl: row.tracking_url,
          updatedAt: row.updated_at,
        }
      );
    },
    put(profile: Required<HallProfileUpdate>, updatedAt: string): void {
      upsert.run({ ...profile, updatedAt });
    },
  };
}
export type HallProfileStore = ReturnType<typeof createHallProfileStore>;
