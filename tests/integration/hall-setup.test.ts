import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError, METHOD_ROLES, contract } from '@shared/api';
import { defaultDeviceConfig, deviceConfigSchema } from '@shared/config';
import { createEventBus } from '../../electron/core/api/event-bus';
import { deviceMigrations } from '../../electron/core/db/migrations';
import { openDatabase } from '../../electron/core/db/open';
import { createHallService } from '../../electron/core/services/hall-service';
import { createHallProfileStore } from '../../electron/core/store/hall-profile-store';
import { startQueueCore } from '../fixtures/queue-core';
import { tempDir } from '../fixtures/temp-dir';

/** The refusal reason of a throwing call, or 'ok'. */
function reason(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return ((e as AppError).details as { reason?: string } | undefined)?.reason ?? (e as AppError).code;
  }
}

describe('hall setup (queues, counters, clerks)', () => {
  let q: Awaited<ReturnType<typeof startQueueCore>>;
  beforeEach(async () => {
    q = await startQueueCore();
  });
  afterEach(() => q.stop());

  it('lists every queue to the administrator only, inactive ones too, while the kiosk sees the active', () => {
    expect(METHOD_ROLES['queue.admin.queues']).toEqual(['admin']);
    const social = q.queue.allQueues().find((x) => x.id === 'social')!;
    q.queue.upsertQueue({ ...social, active: false });
    expect(q.queue.allQueues().find((x) => x.id === 'social')?.active).toBe(false);
    expect(q.queue.kioskQueues().map((x) => x.id)).not.toContain('social');
  });

  it('refuses a queue letter or a counter number another one has, and allows keeping one’s own', () => {
    const social = q.queue.allQueues().find((x) => x.id === 'social')!;
    expect(reason(() => q.queue.upsertQueue({ ...social, id: 'new', prefix: social.prefix }))).toBe('PREFIX_TAKEN');
    expect(reason(() => q.queue.upsertQueue({ ...social, nameZh: '社保' }))).toBe('ok');
    expect(reason(() => q.queue.upsertCounter({ id: 'new', number: 1, name: '新窗口', queueIds: ['social'] }))).toBe(
      'NUMBER_TAKEN',
    );
    expect(reason(() => q.queue.upsertCounter({ id: 'w1', number: 1, name: '改名', queueIds: ['social'] }))).toBe('ok');
  });

  it('tells pages to re-read when a counter changes; a new clerk (staff account, 6-digit PIN: 4 digits are refused now) signs in there', () => {
    q.events.length = 0;
    q.queue.upsertCounter({ id: 'w9', number: 90, name: '新窗口', queueIds: ['social'] });
    expect(q.events.filter((e) => e.name === 'queue.changed')).toHaveLength(1);
    const upsert = contract['staff.upsert'].input;
    const clerk = { mutationId: q.m(), login: 'k9', name: '新人', roles: ['clerk'], enabled: true };
    expect(upsert.safeParse({ ...clerk, pin: '2468' }).success).toBe(false);
    const admin = { role: 'admin' as const, transport: 'ipc' as const, origin: 'admin-1' };
    const { staff } = q.identity.upsert(upsert.parse({ ...clerk, pin: '246813' }), admin);
    expect(staff).toMatchObject({ login: 'k9', roles: ['clerk'], enabled: true, hasPin: true, source: 'hall' });
    // The new clerk signs in at the new counter with the PIN just set.
    const view = q.queue.signIn({ counterId: 'w9', login: 'k9', pin: '246813' }, q.clerk('w9'));
    expect(view.counter.clerkName).toBe('新人');
    expect(view.person).toMatchObject({ staffId: staff.id, login: 'k9', via: 'pin', counterId: 'w9' });
  });
});

describe('hall profile English name', () => {
  it('is kept across saves that leave it out, and starts empty', async () => {
    const tmp = tempDir('ow-hall-');
    const { db } = await openDatabase({ file: `${tmp.dir}/device.sqlite`, migrations: deviceMigrations });
    try {
      const hall = createHallService({
        store: createHallProfileStore(db),
        bus: createEventBus(),
        config: deviceConfigSchema.parse(defaultDeviceConfig),
        now: () => new Date('2026-03-02T02:00:00Z'),
      });
      expect(hall.profile().nameEn).toBe('');
      const base = { name: '示范大厅', address: '', enquiryPhone: '', trackingUrl: '' };
      expect(hall.update({ ...base, nameEn: 'Demo Hall' }).nameEn).toBe('Demo Hall');
      expect(hall.update({ ...base, name: '示范大厅二' }).nameEn).toBe('Demo Hall');
      expect(hall.update({ ...base, nameEn: '' }).nameEn).toBe('');
    } finally {
      db.close();
      tmp.remove();
    }
  });
});
