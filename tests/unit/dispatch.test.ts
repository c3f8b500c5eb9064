import { describe, expect, it, vi } from 'vitest';
import { AppError, METHOD_ROLES, ROLES, contract, methodsForRole } from '@shared/api';
import type { Person } from '@shared/identity/staff';
import type { Caller } from '../../electron/core/api/caller';
import { createDispatcher, type Handlers } from '../../electron/core/api/dispatch';

const profile = { name: '大厅', nameEn: '', address: '', enquiryPhone: '', trackingUrl: '', updatedAt: null };
const info = {
  product: 'OneWindow' as const,
  appVersion: '1',
  role: 'kiosk' as const,
  hall: { code: 'H1', name: '大厅' },
  deviceCode: 'D1',
  schemaVersion: 1,
  serverTime: '2026-01-01T00:00:00.000Z',
  timeZone: 'Asia/Shanghai',
  transport: 'http' as const,
};

/** The methods these tests exercise; the others are never called here. */
function handlers(overrides: Partial<Handlers> = {}): Handlers {
  return {
    'system.info': () => info,
    'hall.profile.get': () => profile,
    'hall.profile.update': (input) => ({ ...input, updatedAt: '2026-01-01T00:00:00.000Z' }),
    ...overrides,
  } as Handlers;
}
const caller = (role: Caller['role']): Caller => ({ role, transport: 'http', origin: 'test' });

const hallAdmin: Person = {
  staffId: 'admin01',
  login: 'admin',
  name: '陈静',
  roles: ['hall_admin'],
  via: 'password',
  counterId: null,
  signedInAt: '2026-01-01T00:00:00.000Z',
};
/** Identity sessions where `person` is signed in on every origin (or nobody, with why they left). */
const signedIn = (person: Person | undefined, ended?: string) => ({
  identity: { personOf: () => person, personById: () => undefined, endedReason: () => ended },
});

describe('access table', () => {
  it('names exactly the contract methods', () => {
    expect(Object.keys(METHOD_ROLES).sort()).toEqual(Object.keys(contract).sort());
  });
  it('gives the administrator profile editing and nobody else', () => {
    for (const role of ROLES) {
      expect(methodsForRole(role).includes('hall.profile.update')).toBe(role === 'admin');
      expect(methodsForRole(role)).toContain('system.info');
    }
  });
});

describe('dispatch', () => {
  it('answers a permitted call with the handler value', async () => {
    const dispatch = createDispatcher(handlers());
    expect(await dispatch(caller('kiosk'), 'hall.profile.get', {})).toEqual({ ok: true, value: profile });
  });

  it('refuses an unknown method', async () => {
    const result = await createDispatcher(handlers())(caller('admin'), 'system.shutdown', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('refuses a role the method does not allow, before looking at the input', async () => {
    const update = vi.fn(handlers()['hall.profile.update']);
    const result = await createDispatcher(handlers({ 'hall.profile.update': update }))(
      caller('kiosk'),
      'hall.profile.update',
      'not even an object',
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(update).not.toHaveBeenCalled();
  });

  it('refuses a person window with nobody signed in before looking at the input, saying why they left', async () => {
    const update = vi.fn(handlers()['hall.profile.update']);
    const result = await createDispatcher(handlers({ 'hall.profile.update': update }), signedIn(undefined, 'idle'))(
      caller('admin'),
      'hall.profile.update',
      'not even an object',
    );
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'SIGN_IN_REQUIRED', details: { reason: 'SIGN_IN_REQUIRED', ended: 'idle' } },
    });
    expect(update).not.toHaveBeenCalled();
  });

  it('never takes the person from the caller object: only the identity sessions say who is signed in', async () => {
    const update = vi.fn(handlers()['hall.profile.update']);
    const result = await createDispatcher(handlers({ 'hall.profile.update': update }))(
      { ...caller('admin'), person: hallAdmin },
      'hall.profile.update',
      { name: '大厅', address: '', enquiryPhone: '', trackingUrl: '' },
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'SIGN_IN_REQUIRED' } });
    expect(update).not.toHaveBeenCalled();
  });

  it('refuses a signed-in person without the staff role the method needs', async () => {
    const result = await createDispatcher(handlers(), signedIn({ ...hallAdmin, roles: ['clerk'], via: 'pin' }))(
      caller('admin'),
      'hall.profile.update',
      {},
    );
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { reason: 'STAFF_ROLE_REQUIRED' } },
    });
  });

  it('refuses bad input with the issues, without running the handler', async () => {
    const update = vi.fn(handlers()['hall.profile.update']);
    const result = await createDispatcher(handlers({ 'hall.profile.update': update }), signedIn(hallAdmin))(
      caller('admin'),
      'hall.profile.update',
      { name: '', address: 'x'.repeat(201), enquiryPhone: 'call me', trackingUrl: 'javascript:alert(1)', extra: 1 },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_INPUT');
    const paths = (result.error.details as { issues: { path: string }[] }).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'address', 'enquiryPhone', 'trackingUrl', '']));
    expect(update).not.toHaveBeenCalled();
  });

  it('passes the parsed (trimmed) input to the handler', async () => {
    const update = vi.fn(handlers()['hall.profile.update']);
    await createDispatcher(handlers({ 'hall.profile.update': update }), signedIn(hallAdmin))(
      caller('admin'),
      'hall.profile.update',
      {
        name: '  新大厅  ',
        address: '',
        enquiryPhone: '010-12345678',
        trackingUrl: '',
      },
    );
    expect(update.mock.calls[0]?.[0]).toMatchObject({ name: '新大厅' });
  });

  it('turns an AppError into its typed error', async () => {
    const dispatch = createDispatcher(
      handlers({
        'hall.profile.get': () => {
          throw new AppError('NOT_FOUND', 'no profile', { id: 1 });
        },
      }),
    );
    expect(await dispatch(caller('counter'), 'hall.profile.get', {})).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no profile', details: { id: 1 } },
    });
  });

  it('hides an unexpected failure behind INTERNAL and logs it', async () => {
    const log = { error: vi.fn() };
    const dispatch = createDispatcher(
      handlers({
        'hall.profile.get': () => {
          throw new Error('disk on fire at /secret/path');
        },
      }),
      { log },
    );
    const result = await dispatch(caller('counter'), 'hall.profile.get', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('/secret/path');
    expect(log.error).toHaveBeenCalledOnce();
  });

  it('refuses a handler result that breaks the output schema', async () => {
    const dispatch = createDispatcher(
      handlers({ 'system.info': () => ({ ...info, schemaVersion: -1 }) as unknown as typeof info }),
    );
    expect(await dispatch(caller('display'), 'system.info', {})).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
  });

  it('strips fields the contract does not declare from a result', async () => {
    const dispatch = createDispatcher(
      handlers({ 'hall.profile.get': () => ({ ...profile, secretNote: 'x' }) as unknown as typeof profile }),
    );
    const result = await dispatch(caller('kiosk'), 'hall.profile.get', {});
    expect(result.ok && result.value).not.toHaveProperty('secretNote');
  });
});
