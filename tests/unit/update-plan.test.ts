import { describe, expect, it } from 'vitest';
import { deviceConfigSchema, type DeviceConfigInput } from '@shared/config';
import { updatePlan } from '../../electron/main/update-plan';

const config = (extra: Partial<DeviceConfigInput> = {}) =>
  deviceConfigSchema.parse({ hall: { code: 'H01', name: '大厅' }, deviceCode: 'D01', roles: ['counter'], ...extra });

describe('update plan', () => {
  const updates = { url: 'http://central.hall.lan:5190/updates' };

  it('checks nothing without an updates block or outside an installed app', () => {
    expect(updatePlan(config(), ['counter'], true)).toBeNull();
    expect(updatePlan(config({ updates }), ['counter'], false)).toBeNull();
  });

  it('follows central’s generic feed, checking a counter every few hours', () => {
    expect(updatePlan(config({ updates }), ['counter', 'admin'], true)).toEqual({
      feed: { provider: 'generic', url: 'http://central.hall.lan:5190/updates/' },
      intervalMs: 6 * 3_600_000,
      crypto: 'default',
    });
    // An sm device requires the SM2 release signature (electron/core/updates/release-signature).
    expect(updatePlan(config({ updates, crypto: 'sm' }), ['counter'], true)?.crypto).toBe('sm');
    expect(updatePlan(config({ updates: { ...updates, checkEveryHours: 1 } }), ['leader'], true)?.intervalMs).toBe(
      3_600_000,
    );
  });

  it('checks a kiosk or hall display only at start, never while it serves the public', () => {
    for (const roles of [['kiosk'], ['display'], ['kiosk', 'counter']] as const) {
      expect(updatePlan(config({ updates }), roles, true)).toMatchObject({ intervalMs: null });
    }
  });

  it('refuses a feed that is not http(s)', () => {
    expect(() => config({ updates: { url: 'file:///mnt/usb/' } })).toThrow(/must be http/);
  });
});
