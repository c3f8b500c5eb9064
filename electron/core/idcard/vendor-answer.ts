import { idCardSchema, ID_CARD_PHOTO_MAX_BASE64, type IdCard, type IdCardPhoto } from '@shared/idcard/card';
import type { VendorAnswerConfig } from '@shared/idcard/reader-config';
import { nationName } from './nations';
import { idCardError } from './reader';

/** What the device log may say of an answer that was not a card: never any of the card's data. */
export interface VendorAnswerLog {
  warn(obj: object, msg: string): void;
}

const at = (raw: unknown, path: string): unknown =>
  path === ''
    ? raw
    : path
        .split('.')
        .reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as never)[k] : undefined), raw);

const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined;

/** 20150101, 2015-01-01, 2015.01.01 or 2015/01/01 as an ISO date; undefined when it is no real date. */
export function cardDate(value: string | undefined): string | undefined {
  const m = value && /^(\d{4})[-./]?(\d{2})[-./]?(\d{2})$/.exec(value);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : undefined;
}

const SEXES: Record<string, IdCard['sex']> = { '1': 'male', 男: 'male', m: 'male', male: 'male' };
const FEMALE = new Set(['2', '女', 'f', 'female']);
function cardSex(value: string | undefined): IdCard['sex'] | undefined {
  const v = value?.toLowerCase();
  if (v === undefined) return undefined;
  return SEXES[v] ?? (FEMALE.has(v) ? 'female' : undefined);
}

/**
 * The photo as a page can show it, by its first bytes. A service that passes on the chip's raw WLT
 * (still compressed and encrypted) gives something no page can show: no photo then, not an unreadable card.
 */
export function cardPhoto(value: string | undefined): IdCardPhoto | null {
  const base64 = value?.replace(/^data:image\/[a-z]+;base64,/i, '').replace(/\s+/g, '');
  if (!base64 || base64.length > ID_CARD_PHOTO_MAX_BASE64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return null;
  const head = Buffer.from(base64.slice(0, 12), 'base64');
  if (head[0] === 0x42 && head[1] === 0x4d) return { type: 'image/bmp', base64 };
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return { type: 'image/jpeg', base64 };
  if (head.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))) return { type: 'image/png', base64 };
  return null;
}

/**
 * A vendor service's JSON answer as a card, or the typed failure it stands for: its status says no card
 * or an error; a card whose fields are missing or wrong is unreadable (a half-read card is never used).
 */
export function cardFromVendorAnswer(raw: unknown, cfg: VendorAnswerConfig, log?: VendorAnswerLog): IdCard {
  if (raw === null || typeof raw !== 'object') {
    log?.warn({ reason: 'NOT_AN_OBJECT' }, 'ID card reader answered outside its protocol');
    throw idCardError('UNREADABLE');
  }
  const status = text(at(raw, cfg.status.field));
  if (status === undefined || !cfg.status.ok.includes(status)) {
    if (status !== undefined && cfg.status.noCard.includes(status)) throw idCardError('NO_CARD');
    const vendorMessage = text(at(raw, cfg.status.message))?.slice(0, 100);
    log?.warn({ status: status ?? null, vendorMessage }, 'ID card reader refused the read');
    throw idCardError('UNREADABLE');
  }
  const data = at(raw, cfg.data);
  const f = cfg.fields;
  const field = (name: keyof typeof f) => text(at(data, f[name]));
  const validToText = field('validTo');
  const candidate = {
    name: field('name'),
    sex: cardSex(field('sex')),
    nation: nationName(field('nation') ?? '') ?? undefined,
    birthDate: cardDate(field('birthDate')),
    address: field('address'),
    idNumber: field('idNumber')?.toUpperCase(),
    issuer: field('issuer'),
    validFrom: cardDate(field('validFrom')),
    validTo: validToText === '长期' ? null : cardDate(validToText),
    photo: cardPhoto(field('photo')),
  };
  const parsed = idCardSchema.safeParse(candidate);
  if (!parsed.success) {
    // Which fields failed, never their values.
    const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
    log?.warn({ reason: 'BAD_FIELDS', fields }, 'ID card reader answered a card that does not validate');
    throw idCardError('UNREADABLE');
  }
  return parsed.data;
}
