import { describe, expect, it } from 'vitest';
import { IPC, MAX_BODY_BYTES, type Result, type Role } from '@shared/api';
import { LEADER_IMPORT_MAX_BYTES } from '@shared/api/methods/leader';
import { createDispatcher, type Handlers } from '../../electron/core/api/dispatch';
import { isAppUrl } from '../../electron/main/app-protocol-url';
import { registerContractIpc } from '../../electron/main/ipc';
import { pdfBundle } from '../fixtures/leader-import';

type Handler = (event: unknown, ...args: unknown[]) => Promise<Result<unknown>>;

/** ipcMain as far as the contract mount uses it: one handler per channel. */
function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return { handle: (channel: string, fn: Handler) => void handlers.set(channel, fn), handlers };
}

const profile = { name: '大厅', nameEn: '', address: '', enquiryPhone: '', trackingUrl: '', updatedAt: null };
const dispatch = createDispatcher(
  {
    'system.info': (_i, caller) => ({
      product: 'OneWindow',
      appVersion: '1',
      role: caller.role,
      hall: { code: 'H1', name: '大厅' },
      deviceCode: 'D1',
      schemaVersion: 1,
      serverTime: new Date(0).toISOString(),
      timeZone: 'Asia/Shanghai',
      transport: caller.transport,
    }),
    'hall.profile.get': () => profile,
    'hall.profile.update': (input) => ({ ...input, updatedAt: null }),
    'leader.admin.import': (input) => ({ schedules: 0, briefings: 0, files: input.files.length, removed: 0 }),
  } as Partial<Handlers> as Handlers,
  {
    // A hall administrator is signed in on the admin window (webContents 2); nobody anywhere else.
    identity: {
      personOf: (caller) =>
        caller.origin === 'window-admin-2'
          ? {
              staffId: 'admin01',
              login: 'admin',
              name: '陈静',
              roles: ['hall_admin'],
              via: 'password',
              counterId: null,
              signedInAt: new Date(0).toISOString(),
            }
          : undefined,
      personById: () => undefined,
      endedReason: () => undefined,
    },
  },
);

function mount(windows: Record<number, Role>) {
  const ipcMain = fakeIpcMain();
  registerContractIpc(ipcMain as never, {
    dispatch,
    roleOf: (id) => windows[id],
    originOf: (id) => `window-${windows[id]}-${id}`,
    isTrustedFrameUrl: isAppUrl,
  });
  const handler = ipcMain.handlers.get(IPC.call);
  if (!handler) throw new Error('nothing mounted on the call channel');
  const call = (
    senderId: number,
    method: unknown,
    input: unknown,
    frame: { url: string; parent: unknown } | null = { url: 'app://onewindow/index.html#/x', parent: null },
  ) => handler({ sender: { id: senderId }, senderFrame: frame }, method, input);
  return call;
}

describe('contract over IPC', () => {
  const call = mount({ 1: 'kiosk', 2: 'admin' });

  it('answers our own window with its role and the ipc transport', async () => {
    expect(await call(1, 'system.info', {})).toMatchObject({ ok: true, value: { role: 'kiosk', transport: 'ipc' } });
  });

  it('refuses a role calling a method it may not call', async () => {
    const result = await call(1, 'hall.profile.update', { ...profile, updatedAt: undefined });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('refuses a person window where nobody is signed in before its input', async () => {
    const result = await mount({ 3: 'admin' })(3, 'hall.profile.update', { name: 42 });
    expect(result).toMatchObject({ ok: false, error: { code: 'SIGN_IN_REQUIRED' } });
  });

  it('refuses bad input with a typed error', async () => {
    const result = await call(2, 'hall.profile.update', { name: 42 });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('refuses a method name that is not a string', async () => {
    expect(await call(2, { toString: () => 'system.info' }, {})).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  it('refuses a page from another origin, a sub-frame, and a missing frame', async () => {
    for (const frame of [
      { url: 'https://evil.example/', parent: null },
      { url: 'file:///etc/passwd', parent: null },
      { url: 'app://onewindow.evil/x', parent: null },
      { url: 'app://onewindow/index.html', parent: {} },
      null,
    ]) {
      expect(await call(2, 'system.info', {}, frame)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    }
  });

  it('refuses a webContents that is not one of our role windows', async () => {
    expect(await call(99, 'system.info', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses an oversized input before parsing it', async () => {
    const result = await call(2, 'hall.profile.update', { name: 'x'.repeat(MAX_BODY_BYTES + 1) });
    expect(result).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('lets a file import through up to its own limit, and no further', async () => {
    const big = pdfBundle('leader.one', 3 * 1024 * 1024);
    expect(await call(2, 'leader.admin.import', big)).toMatchObject({ ok: true, value: { files: 1 } });
    expect(await call(2, 'hall.profile.update', big)).toMatchObject({
      ok: false,
      error: { code: 'PAYLOAD_TOO_LARGE', message: `input exceeds ${MAX_BODY_BYTES} bytes` },
    });
    expect(
      await call(2, 'leader.admin.import', pdfBundle('leader.one', (LEADER_IMPORT_MAX_BYTES / 4) * 3)),
    ).toMatchObject({
      ok: false,
      error: { code: 'PAYLOAD_TOO_LARGE', message: `input exceeds ${LEADER_IMPORT_MAX_BYTES} bytes` },
    });
  });
});
