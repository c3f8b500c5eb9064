import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import type { LeaderFileInput } from '@shared/api/methods/leader';
import { byTest, callApi, hallTodayAt, serverNow, unique } from './helpers';

/** A leader enrolled through the admin API with today's content, and the pane's sign-in, for the leader specs. */

// ---------------------------------------------------------------- what an authenticator app computes (RFC 6238)

export function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
export function totp(secret: Buffer, timeMs = Date.now()): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(timeMs / 30_000)));
  const mac = crypto.createHmac('sha1', secret).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** The code the leader's authenticator shows now, by the core's clock (the browser host runs a test clock). */
export async function codeNow(request: APIRequestContext, secret: Buffer): Promise<string> {
  return totp(secret, (await serverNow(request)).getTime());
}

// ---------------------------------------------------------------- a page-like PNG without red, so the watermark is measurable

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
export function documentPng(width = 600, height = 380): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      // White paper with grey "text lines" and a blue header band.
      const header = y < 50;
      const line = !header && y % 24 > 16 && x > 40 && x < width - 40;
      const [r, g, b] = header ? [30, 70, 150] : line ? [150, 150, 160] : [250, 250, 252];
      row.set([r, g, b], 1 + x * 3);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------- a leader with today's content

export const PASSWORD = 'e2e leader 口令 long';
export const NAME = '王局长';

export async function enrolLeader(request: APIRequestContext, extraFiles: LeaderFileInput[] = []) {
  const login = `e2e.${unique()}`;
  const enrol = await callApi<{ totpSecret: string; otpauthUri: string }>(request, 'admin', 'leader.admin.enrol', {
    login,
    name: NAME,
    password: PASSWORD,
  });
  expect(enrol.status, JSON.stringify(enrol.body)).toBe(200);
  expect(enrol.body.value!.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
  const at = hallTodayAt;
  const imported = await callApi(request, 'admin', 'leader.admin.import', {
    leader: login,
    schedules: [
      {
        id: crypto.randomUUID(),
        title: '全区营商环境推进会',
        kind: 'meeting',
        start: at(9),
        end: at(10, 30),
        location: '三楼第一会议室',
        attendees: ['李明', '王芳'],
        notes: '',
      },
      {
        id: crypto.randomUUID(),
        title: '调研政务服务中心',
        kind: 'visit',
        start: at(10),
        end: at(11),
        location: '朝阳区政务服务中心',
        attendees: [],
        notes: '',
      },
      {
        id: crypto.randomUUID(),
        title: '听取信访工作汇报',
        kind: 'meeting',
        start: at(15),
        end: at(16),
        location: '',
        attendees: [],
        notes: '',
      },
    ],
    briefings: [
      {
        id: crypto.randomUUID(),
        kind: 'briefing',
        title: '一季度营商环境简报',
        body: '一季度全区新设市场主体同比增长。',
        priority: 'important',
        publishedAt: at(8),
      },
    ],
    files: [
      {
        id: crypto.randomUUID(),
        name: '专项督查通报.png',
        mime: 'image/png',
        classification: 'secret',
        publishedAt: at(8),
        dataBase64: documentPng().toString('base64'),
      },
      ...extraFiles,
    ],
  });
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  return { login, secret: base32Decode(enrol.body.value!.totpSecret) };
}

export async function signIn(page: Page, login: string, code: string) {
  await byTest(page, 'leader-login').fill(login);
  await byTest(page, 'leader-password').fill(PASSWORD);
  await byTest(page, 'leader-code').fill(code);
  await byTest(page, 'leader-submit').click();
}
