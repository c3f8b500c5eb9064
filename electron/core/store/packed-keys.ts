/**
 * How the outbox, the command log and the ticket history keep the ids and times they hold per row, smaller
 * than their text (each holds tens of thousands of rows): a UUID as its 16 bytes instead of 36 characters, a
 * time as epoch milliseconds instead of 24 characters. Only a value that comes back as the very same text is
 * packed (a lowercase UUID, an ISO time as `toISOString` writes it); anything else is kept as it came, in a
 * column of type ANY (or of none), so what is read back, and what central is sent, is always what was written.
 */
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type PackedId = Buffer | string;
/** A time as written (a bigint: better-sqlite3 binds a number as REAL, which a column of type ANY keeps) and as read. */
export type PackedTime = bigint | number | string;

export const packId = (id: string): PackedId =>
  CANONICAL_UUID.test(id) ? Buffer.from(id.replaceAll('-', ''), 'hex') : id;

export function unpackId(v: PackedId): string {
  if (typeof v === 'string') return v;
  const h = v.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function packTime(iso: string): bigint | string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && new Date(ms).toISOString() === iso ? BigInt(ms) : iso;
}

export const unpackTime = (v: PackedTime): string => (typeof v === 'string' ? v : new Date(Number(v)).toISOString());

const HEX = '[0-9a-f]';
/** toISOString's text of epoch ms: datetime() and two edits cost about 2/3 of strftime() (the history read does it per instant). */
const isoOfMs = (ms: string) => `replace(datetime(${ms} / 1000.0, 'unixepoch', 'subsec'), ' ', 'T') || 'Z'`;

/** The same packing in SQL, for rows copied by a statement (the daily archive): the id's 16 bytes, or it as it came. */
export const packIdSql = (c: string) =>
  `CASE WHEN ${c} GLOB '${HEX.repeat(8)}-${HEX.repeat(4)}-${HEX.repeat(4)}-${HEX.repeat(4)}-${HEX.repeat(12)}'
    THEN unhex(replace(${c}, '-', '')) ELSE ${c} END`;

/** A packed id column read back in SQL as its text. */
export const idTextSql = (c: string) => {
  const part = (from: number, n: number) => `substr(hex(${c}), ${from}, ${n})`;
  const dashed = [part(1, 8), part(9, 4), part(13, 4), part(17, 4), part(21, 12)].join(" || '-' || ");
  return `CASE WHEN typeof(${c}) = 'blob' THEN lower(${dashed}) ELSE ${c} END`;
};

/** A packed time column read back in SQL as its ISO text (toISOString's form). */
export const timeTextSql = (c: string) => `CASE WHEN typeof(${c}) = 'integer' THEN ${isoOfMs(c)} ELSE ${c} END`;

/** The same packing in SQL: epoch ms where they read back as the very text, else the text as it came. */
export const packTimeSql = (c: string) => {
  const ms = `CAST(round(unixepoch(${c}, 'subsec') * 1000) AS INTEGER)`;
  return `CASE WHEN typeof(${c}) = 'text' AND ${isoOfMs(ms)} = ${c} THEN ${ms} ELSE ${c} END`;
};
