import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@shared/api';
import { deviceConfigSchema } from '@shared/config';
import { idCardErrorDetailsSchema, idCardSchema } from '@shared/idcard/card';
import {
  idCardReaderConfigSchema,
  type VendorHttpReaderConfig,
  type VendorWsReaderConfig,
} from '@shared/idcard/reader-config';
import { WebSocketServer } from 'ws';
import { createConfiguredReader, createIdCardService } from '../../electron/core/idcard/idcard-service';
import { createSimulatedReader } from '../../electron/core/idcard/simulated-reader';
import { createVendorHttpReader } from '../../electron/core/idcard/vendor-http-reader';
import { createVendorWsReader } from '../../electron/core/idcard/vendor-ws-reader';
import { nationName } from '../../electron/core/idcard/nations';
import { hashApplicantId, idHashKey } from '../../electron/core/intake/id-hash';

const FIXTURES = path.join(__dirname, '../fixtures/idcard');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

/** What the fake vendor service answers next: a recorded body, a stall (for timeouts) or a cut connection. */
type Reply = { body: Buffer | string; status?: number } | { stall: true } | { destroy: true };
let reply: Reply = { body: '{}' };
const stalled: http.ServerResponse[] = [];
const requests: { method: string; url: string }[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push({ method: req.method!, url: req.url! });
    if ('stall' in reply) return void stalled.push(res);
    if ('destroy' in reply) return void req.socket.destroy();
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(reply.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of stalled) res.destroy();
  await new Promise((r) => server.close(r));
});

const vendor = (over: Record<string, unknown> = {}): VendorHttpReaderConfig =>
  idCardReaderConfigSchema.parse({
    kind: 'vendor-http',
    url: `${base}/api/ReadCard`,
    ...over,
  }) as VendorHttpReaderConfig;

/** The typed failure a read ended with (and that its details are the contract's). */
async function failure(p: Promise<unknown>) {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  const details = idCardErrorDetailsSchema.parse((e as AppError).details);
  return { code: (e as AppError).code, ...details };
}

describe('the vendor local-service reader (recorded answers)', () => {
  it('maps a CVR-style answer to the card, photo included, by the default field names', async () => {
    reply = { body: fixture('cvr-card.json') };
    const card = await createVendorHttpReader(vendor()).read();
    expect(idCardSchema.parse(card)).toEqual(card);
    expect(card).toMatchObject({
      name: '张三',
      sex: 'male',
      nation: '汉',
      birthDate: '1990-03-07',
      address: '北京市朝阳区建国路88号',
      idNumber: '110105199003071239',
      issuer: '北京市公安局朝阳分局',
      validFrom: '2015-03-01',
      validTo: '2035-03-01',
    });
    expect(card.photo?.type).toBe('image/bmp');
    expect(requests.at(-1)).toEqual({ method: 'GET', url: '/api/ReadCard' });
  });

  it('reads the coded forms: sex 2, GB 3304 nation code, dotted and dashed dates, 长期; an undecoded photo is none', async () => {
    reply = { body: fixture('cvr-card-codes.json') };
    const card = await createVendorHttpReader(vendor({ method: 'POST' })).read();
    expect(card).toMatchObject({ name: '李四', sex: 'female', nation: '回', birthDate: '1970-01-01' });
    expect(card).toMatchObject({ validFrom: '2020-01-15', validTo: null, photo: null });
    expect(requests.at(-1)?.method).toBe('POST');
  });

  it('follows a configured mapping: another vendor’s field names and status, card at the top of the answer', async () => {
    const own = JSON.parse(fixture('cvr-card.json').toString('utf8')) as { resultContent: Record<string, unknown> };
    const c = own.resultContent;
    reply = {
      body: JSON.stringify({
        code: 'SUCCESS',
        Name: c.partyName,
        Sex: c.gender,
        Nation: c.nation,
        Born: c.bornDay,
        Address: c.certAddress,
        IDCardNo: c.certNumber,
        GrantDept: c.certOrg,
        UserLifeBegin: c.effDate,
        UserLifeEnd: c.expDate,
        PhotoBuffer: c.identityPic,
      }),
    };
    const cfg = vendor({
      data: '',
      status: { field: 'code', ok: ['SUCCESS'], noCard: ['NOCARD'], message: 'msg' },
      fields: {
        name: 'Name',
        sex: 'Sex',
        nation: 'Nation',
        birthDate: 'Born',
        address: 'Address',
        idNumber: 'IDCardNo',
        issuer: 'GrantDept',
        validFrom: 'UserLifeBegin',
        validTo: 'UserLifeEnd',
        photo: 'PhotoBuffer',
      },
    });
    expect((await createVendorHttpReader(cfg).read()).idNumber).toBe('110105199003071239');
    reply = { body: JSON.stringify({ code: 'NOCARD' }) };
    expect(await failure(createVendorHttpReader(cfg).read())).toMatchObject({ reason: 'ID_CARD_NO_CARD' });
  });

  it('says no card, or unreadable, from the vendor’s status', async () => {
    const warnings: object[] = [];
    const log = { warn: (obj: object) => void warnings.push(obj) };
    reply = { body: fixture('cvr-no-card.json') };
    expect(await failure(createVendorHttpReader(vendor(), log).read())).toEqual({
      code: 'NOT_FOUND',
      reason: 'ID_CARD_NO_CARD',
    });
    reply = { body: fixture('cvr-read-error.json') };
    expect(await failure(createVendorHttpReader(vendor(), log).read())).toMatchObject({ reason: 'ID_CARD_UNREADABLE' });
    expect(warnings).toContainEqual({ status: '-2', vendorMessage: '读卡失败' });
  });

  it('refuses malformed answers as unreadable, and logs which fields failed but never their values', async () => {
    const logged: string[] = [];
    const log = { warn: (obj: object, msg: string) => void logged.push(msg + JSON.stringify(obj)) };
    for (const body of [
      fixture('cvr-bad-check-digit.json'),
      fixture('cvr-missing-fields.json'),
      fixture('not-json.txt'),
      '[1,2,3]',
      'null',
      JSON.stringify({ resultFlag: 0, resultContent: 'oops' }),
      JSON.stringify({ errorMsg: 'no status at all' }),
    ]) {
      reply = { body };
      expect(await failure(createVendorHttpReader(vendor(), log).read())).toMatchObject({
        code: 'CONFLICT',
        reason: 'ID_CARD_UNREADABLE',
      });
    }
    reply = { body: fixture('cvr-card.json'), status: 500 };
    expect(await failure(createVendorHttpReader(vendor(), log).read())).toMatchObject({ reason: 'ID_CARD_UNREADABLE' });
    reply = { body: 'x'.repeat(1024 * 1024 + 10) };
    expect(await failure(createVendorHttpReader(vendor(), log).read())).toMatchObject({ reason: 'ID_CARD_UNREADABLE' });
    const text = logged.join('\n');
    expect(text).toContain('idNumber');
    for (const secret of ['110105199003071230', '110105199003071239', '张三', '建国路', 'Qk0']) {
      expect(text).not.toContain(secret);
    }
  });

  it('times out a service that does not answer within the configured time', async () => {
    reply = { stall: true };
    expect(await failure(createVendorHttpReader(vendor({ timeoutMs: 500 })).read())).toEqual({
      code: 'UNAVAILABLE',
      reason: 'ID_CARD_TIMEOUT',
      timeoutMs: 500,
    });
  });

  it('says the reader is offline when its service is not running or drops the connection', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const cfg = vendor({ url: `http://127.0.0.1:${port}/api/ReadCard` });
    expect(await failure(createVendorHttpReader(cfg).read())).toMatchObject({ reason: 'ID_CARD_READER_OFFLINE' });
    reply = { destroy: true };
    expect(await failure(createVendorHttpReader(vendor()).read())).toMatchObject({ reason: 'ID_CARD_READER_OFFLINE' });
  });

  it('takes only a service on this PC: the holder’s data never crosses the network', () => {
    const base = { kind: 'vendor-http' };
    for (const url of ['http://10.0.0.5:8989/api/ReadCard', 'https://127.0.0.1:8989/x', 'http://127.0.0.1.evil.cn/x']) {
      expect(idCardReaderConfigSchema.safeParse({ ...base, url }).success, url).toBe(false);
    }
    expect(idCardReaderConfigSchema.safeParse({ ...base, url: 'http://localhost:19196/readcard' }).success).toBe(true);
  });
});

describe('the vendor local-service reader over WebSocket (recorded answers)', () => {
  /** What the fake service does with a request: answer with a recorded body, say nothing, or close. */
  let wsReply: { body: Buffer | string } | { silent: true } | { close: true } = { body: '{}' };
  const received: string[] = [];
  let wss: WebSocketServer;
  let wsUrl: string;
  beforeAll(async () => {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => wss.once('listening', r));
    wsUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    wss.on('connection', (socket) =>
      socket.on('message', (m) => {
        received.push(String(m));
        if ('body' in wsReply) socket.send(String(wsReply.body));
        else if ('close' in wsReply) socket.close();
      }),
    );
  });
  afterAll(async () => {
    for (const c of wss.clients) c.terminate();
    await new Promise((r) => wss.close(r));
  });
  const wsVendor = (over: Record<string, unknown> = {}) =>
    idCardReaderConfigSchema.parse({ kind: 'vendor-ws', url: wsUrl, ...over }) as VendorWsReaderConfig;

  it('sends the configured request and maps the first answer as the HTTP service’s', async () => {
    wsReply = { body: fixture('cvr-card.json') };
    const card = await createVendorWsReader(wsVendor({ request: '{"cmd":"readCard"}' })).read();
    expect(card).toMatchObject({ name: '张三', idNumber: '110105199003071239', validTo: '2035-03-01' });
    expect(received.at(-1)).toBe('{"cmd":"readCard"}');
    wsReply = { body: fixture('cvr-no-card.json') };
    expect(await failure(createVendorWsReader(wsVendor()).read())).toMatchObject({ reason: 'ID_CARD_NO_CARD' });
    expect(received.at(-1)).toBe('{"type":4}');
  });

  it('a silent service times out, a closed or absent one is offline, a non-JSON answer is unreadable', async () => {
    wsReply = { silent: true };
    expect(await failure(createVendorWsReader(wsVendor({ timeoutMs: 500 })).read())).toEqual({
      code: 'UNAVAILABLE',
      reason: 'ID_CARD_TIMEOUT',
      timeoutMs: 500,
    });
    wsReply = { close: true };
    expect(await failure(createVendorWsReader(wsVendor()).read())).toMatchObject({ reason: 'ID_CARD_READER_OFFLINE' });
    const gone = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => gone.once('listening', r));
    const port = (gone.address() as AddressInfo).port;
    await new Promise((r) => gone.close(r));
    expect(await failure(createVendorWsReader(wsVendor({ url: `ws://127.0.0.1:${port}` })).read())).toMatchObject({
      reason: 'ID_CARD_READER_OFFLINE',
    });
    wsReply = { body: fixture('not-json.txt') };
    expect(await failure(createVendorWsReader(wsVendor()).read())).toMatchObject({ reason: 'ID_CARD_UNREADABLE' });
    wsReply = { body: 'x'.repeat(2 * 1024 * 1024) };
    expect(await failure(createVendorWsReader(wsVendor()).read())).toMatchObject({ reason: 'ID_CARD_UNREADABLE' });
  });

  it('takes only a service on this PC, by ws://', () => {
    for (const url of [
      'ws://10.0.0.5:1919',
      'wss://127.0.0.1:1919',
      'ws://127.0.0.1.evil.cn/',
      'http://127.0.0.1:1919/',
    ]) {
      expect(idCardReaderConfigSchema.safeParse({ kind: 'vendor-ws', url }).success, url).toBe(false);
    }
    expect(idCardReaderConfigSchema.safeParse({ kind: 'vendor-ws', url: 'ws://localhost:1919' }).success).toBe(true);
  });
});

describe('the simulated reader', () => {
  const turns = JSON.parse(fixture('sim-turns.json').toString('utf8')) as never;

  it('plays its turns in order and starts over', async () => {
    const reader = createSimulatedReader({ turns });
    expect((await reader.read()).name).toBe('张三');
    expect((await reader.read()).name).toBe('王五');
    expect(await failure(reader.read())).toMatchObject({ reason: 'ID_CARD_NO_CARD' });
    expect(await failure(reader.read())).toMatchObject({ reason: 'ID_CARD_UNREADABLE' });
    expect((await reader.read()).name).toBe('张三');
  });

  it('re-reads its file every time; a missing or invalid file is a reader offline', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idcard-sim-'));
    const file = path.join(dir, 'cards.json');
    const reader = createConfiguredReader({ kind: 'simulated', file: 'cards.json' }, dir);
    expect(await failure(reader.read())).toMatchObject({ reason: 'ID_CARD_READER_OFFLINE' });
    fs.writeFileSync(file, JSON.stringify([{ failure: 'NO_CARD' }]));
    expect(await failure(reader.read())).toMatchObject({ reason: 'ID_CARD_NO_CARD' });
    fs.writeFileSync(file, fixture('sim-turns.json'));
    expect((await reader.read()).name).toBe('张三');
    fs.writeFileSync(file, JSON.stringify([{ card: { name: 'x' } }]));
    expect(await failure(reader.read())).toMatchObject({ reason: 'ID_CARD_READER_OFFLINE' });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is configured in the device config, with turns or a file but not both', () => {
    const device = { hall: { code: 'H1', name: '大厅' }, deviceCode: 'D1', roles: ['counter'] };
    expect(deviceConfigSchema.safeParse({ ...device, idCardReader: { kind: 'simulated', turns } }).success).toBe(true);
    expect(deviceConfigSchema.safeParse({ ...device, idCardReader: { kind: 'simulated' } }).success).toBe(false);
    expect(
      deviceConfigSchema.safeParse({ ...device, idCardReader: { kind: 'simulated', turns, file: 'a.json' } }).success,
    ).toBe(false);
  });
});

describe('the reading service', () => {
  const turns = JSON.parse(fixture('sim-turns.json').toString('utf8')) as never;
  const key = idHashKey(undefined);

  it('refuses an expired card with its validity dates; a card is good through its last day', async () => {
    const service = createIdCardService({
      reader: createSimulatedReader({ turns }),
      hallDay: () => '2035-03-01',
      idHashKey: key,
    });
    expect((await service.read()).validTo).toBe('2035-03-01');
    expect(await failure(service.read())).toEqual({
      code: 'CONFLICT',
      reason: 'ID_CARD_EXPIRED',
      validFrom: '2006-01-01',
      validTo: '2016-01-01',
    });
    const later = createIdCardService({
      reader: createSimulatedReader({ turns }),
      hallDay: () => '2035-03-02',
      idHashKey: key,
    });
    expect(await failure(later.read())).toMatchObject({ reason: 'ID_CARD_EXPIRED', validTo: '2035-03-01' });
  });

  it('gives the queue the keyed hash the intake uses for the same ID, and no reader is a reader offline', async () => {
    const service = createIdCardService({
      reader: createSimulatedReader({ turns }),
      hallDay: () => '2026-12-06',
      idHashKey: key,
    });
    expect(await service.holderHash()).toBe(hashApplicantId(key, 'resident_id', '110105199003071239'));
    const none = createIdCardService({
      reader: createConfiguredReader(undefined, '/'),
      hallDay: () => '2026-12-06',
      idHashKey: key,
    });
    expect(await failure(none.read())).toMatchObject({ code: 'UNAVAILABLE', reason: 'ID_CARD_READER_OFFLINE' });
  });

  it('names the GB 3304 groups by code and keeps names as printed', () => {
    expect([
      nationName('01'),
      nationName('56'),
      nationName('97'),
      nationName('汉族'),
      nationName('00'),
      nationName('57'),
    ]).toEqual(['汉', '基诺', '其他', '汉', null, null]);
  });
});
