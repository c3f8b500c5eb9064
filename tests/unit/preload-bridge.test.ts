import { describe, expect, it, vi } from 'vitest';
import { IPC, ROLES, methodsForRole } from '@shared/api';
import { buildRoleBridge } from '../../electron/preload/expose-role-api';

function fakeIpcRenderer() {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  return {
    invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 'answer' })),
    on(channel: string, fn: (...args: unknown[]) => void) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)?.add(fn);
      return this;
    },
    removeListener(channel: string, fn: (...args: unknown[]) => void) {
      listeners.get(channel)?.delete(fn);
      return this;
    },
    emit(channel: string, ...args: unknown[]) {
      for (const fn of listeners.get(channel) ?? []) fn(...args);
    },
  };
}

describe('role preload bridge', () => {
  it.each(ROLES)('exposes exactly the methods of %s', (role) => {
    const bridge = buildRoleBridge(role, fakeIpcRenderer() as never);
    expect(bridge.role).toBe(role);
    expect(Object.keys(bridge.methods).sort()).toEqual([...methodsForRole(role)].sort());
  });

  it('does not expose administrator methods to a kiosk', () => {
    const bridge = buildRoleBridge('kiosk', fakeIpcRenderer() as never);
    expect(bridge.methods['hall.profile.update']).toBeUndefined();
  });

  it('invokes the call channel with the method name and input', async () => {
    const ipc = fakeIpcRenderer();
    const bridge = buildRoleBridge('admin', ipc as never);
    await expect(bridge.methods['hall.profile.get']?.({})).resolves.toEqual({ ok: true, value: 'answer' });
    expect(ipc.invoke).toHaveBeenCalledWith(IPC.call, 'hall.profile.get', {});
  });

  it('hands events to the page without the IPC event object, and stops on unsubscribe', () => {
    const ipc = fakeIpcRenderer();
    const bridge = buildRoleBridge('display', ipc as never);
    const seen: unknown[][] = [];
    const stop = bridge.onEvent((...args) => seen.push(args));
    ipc.emit(IPC.event, { sender: 'ipc internals' }, 'hall.profile.changed', { name: 'x' });
    stop();
    ipc.emit(IPC.event, {}, 'hall.profile.changed', { name: 'y' });
    expect(seen).toEqual([['hall.profile.changed', { name: 'x' }]]);
  });
});
