import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BOUND_DEVICE_ROLES,
  IPC,
  METHOD_ROLES,
  METHOD_STAFF,
  PERSON_ROLES,
  ROLES,
  contract,
  type MethodName,
  type Result,
  type Role,
} from '@shared/api';
import type { StaffRole } from '@shared/identity/staff';
import { isAppUrl } from '../../electron/main/app-protocol-url';
import { registerContractIpc } from '../../electron/main/ipc';
import { startApiServer, type ApiServer } from '../../electron/core/server/api-server';
import { createLocalSessionAuthenticator } from '../../electron/core/server/authenticator';
import { startIntakeCore, type IntakeCore } from '../fixtures/intake-core';
import { socketClient } from '../fixtures/socket-client';
import { ADMIN_LOGIN, DEMO_PASSWORD, DEMO_PIN } from '../fixtures/staff';

/**
 * The access table is data: every method × every window role is derived from METHOD_ROLES and
 * METHOD_STAFF and called on all three transports (IPC as Electron mounts it, HTTP and WebSocket as the
 * browser host serves them) with input that is not even valid, so a refusal can only come from the
 * access check, which runs before the input is looked at, and nothing is written.
 */
const METHODS = Object.keys(contract) as MethodName[];
const GARBAGE: unknown[] = [{}, 'garbage', { mutationId: 'not-a-uuid', counterId: 42, evil: true }];
const isPersonRole = (role: Role) => (PERSON_ROLES as readonly Role[]).includes(role);
const mayCall = (role: Role, m: MethodName) => (METHOD_ROLES[m] as readonly Role[]).includes(role);
const staffOf = (m: MethodName): 'open' | readonly StaffRole[] => METHOD_STAFF[m];

type Call = (method: string, input: unknown) => Promise<Result<unknown>>;
/** One transport's way in for a window role: nobody signed in (`anon`), or a named person signed in. */
interface Transport {
  name: 'ipc' | 'http' | 'ws';
  anon: Record<Role, Call>;
  /** Sessions with a person signed in, by window role, with the person's staff roles. */
  people: { role: Role; roles: readonly StaffRole[]; call: Call }[];
  /** A caller no transport knows (no token, an unknown token, or a webContents that is not ours). */
  nobody?: Call[];
}

/** The refusal a call must get from the tables alone; null: the access check lets it through. */
function expected(
  m: MethodName,
  role: Role,
  person: readonly StaffRole[] | null,
): { code: string; reason: string } | null {
  if (!mayCall(role, m)) return { code: 'FORBIDDEN', reason: 'WRONG_ROLE' };
  const staff = staffOf(m);
  if (staff === 'open') return null;
  if ((BOUND_DEVICE_ROLES as readonly Role[]).includes(role)) return { code: 'SIGN_IN_REQUIRED', reason: 'NOT_PAIRED' };
  if (!isPersonRole(role)) return null;
  if (!person) return { code: 'SIGN_IN_REQUIRED', reason: 'SIGN_IN_REQUIRED' };
  if (!person.some((r) => staff.includes(r))) return { code: 'FORBIDDEN', reason: 'STAFF_ROLE_REQUIRED' };
  return null;
}

describe('access table: every method × every window role on IPC, HTTP and WebSocket', () => {
  let t: IntakeCore;
  let server: ApiServer;
  const transports: Transport[] = [];
  const sockets: { close(): void }[] = [];
  const writes = () => ({
    outbox: t.count('outbox'),
    audit: t.count('audit_log'),
    tickets: t.count('tickets'),
    staff: (t.peek.prepare('SELECT group_concat(updated_at) AS u FROM staff').get() as { u: string }).u,
  });
  let before: ReturnType<typeof writes>;

  beforeAll(async () => {
    t = await startIntakeCore();
    // The fixture signed a clerk in at w1 on its own window and the administrator on its page: those
    // origins are not used here. Every session below is new.

    // IPC, as electron/main/ipc.ts mounts the dispatcher on ipcMain (a fake one: no Electron here).
    const handlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<Result<unknown>>>();
    const windows = new Map<number, Role>();
    registerContractIpc({ handle: (ch: string, fn: never) => void handlers.set(ch, fn) } as never, {
      dispatch: t.core.dispatch,
      roleOf: (id) => windows.get(id),
      originOf: (id) => `window-${windows.get(id)}-${id}`,
      isTrustedFrameUrl: isAppUrl,
    });
    const ipcHandler = handlers.get(IPC.call)!;
    let nextWindow = 100;
    const ipcWindow = (role: Role | null): Call => {
      const id = nextWindow++;
      if (role) windows.set(id, role);
      return (method, input) =>
        ipcHandler({ sender: { id }, senderFrame: { url: 'app://onewindow/index.html', parent: null } }, method, input);
    };

    // HTTP and WebSocket, as the browser host serves them (its authenticator, loopback only).
    const auth = createLocalSessionAuthenticator(t.core.config.web.publicRoles);
    server = await startApiServer({
      dispatch: t.core.dispatch,
      bus: t.core.bus,
      auth,
      host: '127.0.0.1',
      port: 0,
      loopbackOnly: true,
    });
    const http =
      (token: string | null): Call =>
      async (method, input) => {
        const res = await fetch(`${server.url}/api/v1/call/${method}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify(input),
        });
        return (await res.json()) as Result<unknown>;
      };
    // A session a page opens over HTTP (POST /api/v1/session), for its role.
    const openSession = async (role: Role) => {
      const res = await fetch(`${server.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role }),
      });
      const body = (await res.json()) as Result<{ token: string }>;
      if (!body.ok) throw new Error(`no ${role} session: ${body.error.message}`);
      return body.value.token;
    };
    const ws = async (token: string | null): Promise<Call> => {
      const c = await socketClient(server.url, token);
      sockets.push(c);
      return c.call;
    };
    const must = async (call: Call, method: MethodName, input: unknown) => {
      const r = await call(method, input);
      if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    };
    const signInClerk = (call: Call, counterId: string, login: string) =>
      must(call, 'queue.counter.signIn', { counterId, login, pin: DEMO_PIN });
    const signInPassword = (call: Call, login: string) =>
      must(call, 'identity.signIn', { login, password: DEMO_PASSWORD, totp: t.nextTotp(login) });

    const anonOf = async (make: (role: Role) => Promise<Call> | Call) =>
      Object.fromEntries(await Promise.all(ROLES.map(async (r) => [r, await make(r)] as const))) as Record<Role, Call>;

    // Who can be signed in where: a clerk at a counter (PIN), a hall administrator or a supervisor on the
    // admin page (password + TOTP). A leader signs in to the leader pane's own store, not here: the
    // leader window is covered by "nobody signed in".
    const ipcClerk = ipcWindow('counter');
    const ipcAdmin = ipcWindow('admin');
    const ipcSupervisor = ipcWindow('admin');
    await signInClerk(ipcClerk, 'w2', 'clerk02');
    await signInPassword(ipcAdmin, ADMIN_LOGIN);
    await signInPassword(ipcSupervisor, 'super01');
    transports.push({
      name: 'ipc',
      anon: await anonOf((r) => ipcWindow(r)),
      people: [
        { role: 'counter', roles: ['clerk'], call: ipcClerk },
        { role: 'admin', roles: ['hall_admin'], call: ipcAdmin },
        { role: 'admin', roles: ['clerk', 'supervisor'], call: ipcSupervisor },
      ],
      nobody: [ipcWindow(null)],
    });

    // HTTP and WebSocket share the sessions: a token's person is the same on both.
    const tokens = Object.fromEntries(await Promise.all(ROLES.map(async (r) => [r, await openSession(r)] as const)));
    const clerkToken = await openSession('counter');
    const adminToken = await openSession('admin');
    const supervisorToken = await openSession('admin');
    await signInClerk(http(clerkToken), 'w3', 'clerk03');
    await signInPassword(http(adminToken), ADMIN_LOGIN);
    await signInPassword(http(supervisorToken), 'super01');
    const peopleBy = async (make: (token: string) => Promise<Call> | Call) => [
      { role: 'counter' as Role, roles: ['clerk'] as StaffRole[], call: await make(clerkToken) },
      { role: 'admin' as Role, roles: ['hall_admin'] as StaffRole[], call: await make(adminToken) },
      { role: 'admin' as Role, roles: ['clerk', 'supervisor'] as StaffRole[], call: await make(supervisorToken) },
    ];
    transports.push({
      name: 'http',
      anon: await anonOf((r) => http(tokens[r]!)),
      people: await peopleBy(http),
      nobody: [http(null), http('not-a-token')],
    });
    transports.push({
      name: 'ws',
      anon: await anonOf((r) => ws(tokens[r]!)),
      people: await peopleBy(ws),
      // A socket that has not said hello: opened in the test itself, as the server closes it after 5 s.
    });
    before = writes();
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await server?.close();
    t?.stop();
  });

  for (const name of ['ipc', 'http', 'ws'] as const) {
    it(`${name}: refuses by the tables alone, before the input: wrong role, sign-in, staff role, pairing`, async () => {
      const tr = transports.find((x) => x.name === name)!;
      const wrong: string[] = [];
      const check = async (call: Call, m: MethodName, role: Role, person: readonly StaffRole[] | null) => {
        const want = expected(m, role, person);
        // A call the tables let through gets only input no schema takes (every input is an object), so it
        // stops at validation: `{}` would be a valid identity.signOut, and that would sign someone out.
        for (const input of want ? GARBAGE : ['garbage']) {
          const r = await call(m, input);
          const got = r.ok ? 'ok' : `${r.error.code}/${(r.error.details as { reason?: string } | undefined)?.reason}`;
          // Let through by the tables: the input is what is wrong, never the caller.
          const ok = want ? got === `${want.code}/${want.reason}` : got.startsWith('INVALID_INPUT/');
          if (!ok)
            wrong.push(`${m} as ${role}${person ? `(${person.join('+')})` : ''} ${JSON.stringify(input)}: ${got}`);
        }
      };
      const seen = { WRONG_ROLE: 0, SIGN_IN_REQUIRED: 0, STAFF_ROLE_REQUIRED: 0, NOT_PAIRED: 0, passed: 0 };
      for (const m of METHODS) {
        for (const role of ROLES) {
          const want = expected(m, role, null);
          seen[want ? (want.reason as keyof typeof seen) : 'passed'] += 1;
          await check(tr.anon[role], m, role, null);
        }
        for (const p of tr.people) {
          const want = expected(m, p.role, p.roles);
          if (want?.reason === 'STAFF_ROLE_REQUIRED') seen.STAFF_ROLE_REQUIRED += 1;
          await check(p.call, m, p.role, p.roles);
        }
      }
      expect(wrong).toEqual([]);
      // The derived cases cover every kind of refusal.
      for (const [k, n] of Object.entries(seen)) expect(n, k).toBeGreaterThan(0);
      // Nothing was written by any of it: no outbox row, no audit row, no ticket, no account touched.
      expect(writes()).toEqual(before);
    });
  }

  it('refuses a caller without a session UNAUTHENTICATED, for every method (HTTP, WebSocket, and IPC from a window that is not ours)', async () => {
    const wrong: string[] = [];
    const noHello = await socketClient(server.url, null);
    sockets.push(noHello);
    transports.find((x) => x.name === 'ws')!.nobody = [noHello.call];
    for (const tr of transports) {
      for (const call of tr.nobody ?? []) {
        for (const m of METHODS) {
          const r = await call(m, {});
          if (r.ok || r.error.code !== 'UNAUTHENTICATED') wrong.push(`${tr.name} ${m}: ${JSON.stringify(r)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(writes()).toEqual(before);
  });

  it('derives the cases from the tables: every person-role method that is not open needs a sign-in', () => {
    // A guard on the derivation itself: the tables name every method, and "open" is the only way past
    // the person check for a person's window.
    expect(Object.keys(METHOD_ROLES).sort()).toEqual([...METHODS].sort());
    expect(Object.keys(METHOD_STAFF).sort()).toEqual([...METHODS].sort());
    for (const m of METHODS) {
      for (const role of PERSON_ROLES) {
        if (mayCall(role, m) && staffOf(m) !== 'open') {
          expect(expected(m, role, null)).toEqual({ code: 'SIGN_IN_REQUIRED', reason: 'SIGN_IN_REQUIRED' });
        }
      }
    }
  });
});
