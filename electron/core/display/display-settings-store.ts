import type { Database } from 'better-sqlite3';
import type { DisplaySettings } from '@shared/api';

interface Row {
  layout: DisplaySettings['layout'];
  voice: DisplaySettings['voice'];
  voice_name: string | null;
  speech_rate: number;
}

/** All SQL of the hall screens' settings: one row, absent until an administrator first saves. */
export function createDisplaySettingsStore(db: Database) {
  const select = db.prepare<[], Row>(
    'SELECT layout, voice, voice_name, speech_rate FROM display_settings WHERE id = 1',
  );
  const upsert = db.prepare(`
    INSERT INTO display_settings (id, layout, voice, voice_name, speech_rate, updated_at)
    VALUES (1, @layout, @voice, @voiceName, @speechRate, @updatedAt)
    ON CONFLICT (id) DO UPDATE SET layout = excluded.layout, voice = excluded.voice, voice_name = excluded.voice_name,
      speech_rate = excluded.speech_rate, updated_at = excluded.updated_at
  `);
  return {
    get(): DisplaySettings | undefined {
      const r = select.get();
      return r && { layout: r.layout, voice: r.voice, voiceName: r.voice_name, speechRate: r.speech_rate };
    },
    put(s: DisplaySettings, updatedAt: string): void {
      upsert.run({ ...s, updatedAt });
    },
  };
}
export type DisplaySettingsStore = ReturnType<typeof createDisplaySettingsStore>;
