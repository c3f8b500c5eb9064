import crypto from 'node:crypto';
import { z } from 'zod';
import { macNameSchema, type CryptoProfileName, type MacName } from '@shared/crypto/profile';
import {
  CHAIN_GENESIS,
  verifyKeyedChain,
  type AuditChainName,
  type AuditHead,
  type ChainLink,
  type HexDigest,
  type KeyedChainVerdict,
} from '@shared/audit/keyed-chain';
import { cryptoProfile, mac } from '../crypto/profile';
import type { SecretStore } from '../sync/secret-store';

const KEY_SECRET = 'audit-key';
const recordSecret = (chain: AuditChainName) => `audit-head-${chain}`;

/**
 * Where a chain's keyed part begins, the last head seen committed, and from which row each MAC keyed it
 * (absent: HMAC-SHA-256 throughout, as before the crypto profiles): kept with the key, off the database,
 * so the database alone cannot say which MAC a row was keyed with.
 */
const chainRecordSchema = z
  .object({
    keyedFrom: z.number().int().min(1),
    seq: z.number().int().min(0),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    macs: z
      .array(z.object({ from: z.number().int().min(1), mac: macNameSchema }).strict())
      .min(1)
      .optional(),
  })
  .strict();
type ChainRecord = z.infer<typeof chainRecordSchema>;

const LEGACY_MAC: MacName = 'hmac-sha256';
/** The MAC of the row at `seq`: the last switch at or before it. */
const macAt = (r: ChainRecord, seq: number): MacName =>
  (r.macs ?? []).reduce<MacName>((m, s) => (s.from <= seq ? s.mac : m), LEGACY_MAC);
const currentMac = (r: ChainRecord): MacName => r.macs?.at(-1)?.mac ?? LEGACY_MAC;

const sha256Hex: HexDigest = (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The device's audit key: 256 random bits in the secret store (the OS keychain under Electron, an
 * owner-only file elsewhere), never in a database file, so a copy of device.sqlite or leader.sqlite alone
 * cannot be rewritten into a chain that still verifies. Each chain gets its own key derived from it.
 */
export function createAuditKeyring(secrets: SecretStore, profile: CryptoProfileName = 'default') {
  let master: Buffer | undefined;
  const key = (): Buffer => {
    if (master) return master;
    const stored = secrets.get(KEY_SECRET);
    if (stored === undefined) {
      const fresh = crypto.randomBytes(32);
      secrets.set(KEY_SECRET, fresh.toString('base64'));
      master = fresh;
    } else {
      const read = Buffer.from(stored.trim(), 'base64');
      if (read.length !== 32) throw new Error('the audit key secret is damaged');
      master = read;
    }
    return master;
  };
  return {
    /** What the profile keys new rows with. */
    mac: cryptoProfile(profile).macName,
    /**
     * Loads the key on first use: a device whose secret store cannot answer still starts, and says so when
     * it writes. The chain's key is derived with the same MAC, so an SM chain uses no SHA-256 at all.
     */
    digest(chain: AuditChainName, name: MacName): HexDigest {
      let chainKey: Buffer | undefined;
      return (text) => {
        chainKey ??= mac(name, key(), `onewindow-audit/${chain}`);
        return mac(name, chainKey, text).toString('hex');
      };
    },
    /** Undefined: never recorded; throws when the stored record does not parse. */
    record(chain: AuditChainName): ChainRecord | undefined {
      const raw = secrets.get(recordSecret(chain));
      if (raw === undefined) return undefined;
      return chainRecordSchema.parse(JSON.parse(raw));
    },
    setRecord(chain: AuditChainName, r: ChainRecord): void {
      secrets.set(recordSecret(chain), JSON.stringify(r));
    },
  };
}
export type AuditKeyring = ReturnType<typeof createAuditKeyring>;

/** What a keyed chain reads of its table (SQL stays in the chain's store). */
export interface ChainRows {
  head(): { seq: number; hash: string } | undefined;
  hashAt(seq: number): string | undefined;
  links(): Iterable<ChainLink>;
  /** Inside a transaction (what it shows may still roll back) or closed: look again later. */
  busy(): boolean;
}

/**
 * One audit chain keyed with the device's audit key. The first time a chain meets the key, the rows it
 * already has stay as they are and are reported as unkeyed; every row after them is an HMAC. When the
 * device's profile changes the MAC, the rows written so far keep theirs and the record notes from which row
 * the new one keys the chain.
 */
export function createKeyedChain(keyring: AuditKeyring, chain: AuditChainName, rows: ChainRows) {
  const digests = new Map<MacName, HexDigest>();
  const digestOf = (name: MacName): HexDigest => {
    let d = digests.get(name);
    if (!d) digests.set(name, (d = keyring.digest(chain, name)));
    return d;
  };
  let record: ChainRecord | null;
  try {
    record = keyring.record(chain) ?? null;
    const h = rows.head();
    if (!record) {
      const keyedFrom = (h?.seq ?? 0) + 1;
      record = { keyedFrom, seq: h?.seq ?? 0, hash: h?.hash ?? CHAIN_GENESIS };
      if (keyring.mac !== LEGACY_MAC) record.macs = [{ from: keyedFrom, mac: keyring.mac }];
      keyring.setRecord(chain, record);
    } else if (currentMac(record) !== keyring.mac) {
      const from = Math.max(h?.seq ?? 0, record.seq, record.keyedFrom - 1) + 1;
      record = { ...record, macs: [...(record.macs ?? []), { from, mac: keyring.mac }] };
      keyring.setRecord(chain, record);
    }
  } catch {
    // A damaged record is never replaced here: that would make whatever the database now holds the truth.
    record = null;
  }
  const keyedAt = (text: string, seq: number): string => digestOf(record ? macAt(record, seq) : keyring.mac)(text);

  /** Moves the recorded head forward to what is committed, only from the row it recorded: rows cut off the end and written again do not hide the cut. */
  function observe(): void {
    if (!record || rows.busy()) return;
    const h = rows.head();
    if (!h || h.seq <= record.seq) return;
    if (record.seq > 0 && rows.hashAt(record.seq) !== record.hash) return;
    record = { ...record, seq: h.seq, hash: h.hash };
    keyring.setRecord(chain, record);
  }

  return {
    /** The hash of a new row. */
    hash: (prevHash: string, payload: string): string =>
      digestOf(record ? currentMac(record) : keyring.mac)(prevHash + payload),
    /** After a row is appended: recorded once the enclosing transaction has committed. */
    appended: (): void => queueMicrotask(observe),
    verify(): KeyedChainVerdict {
      observe();
      return verifyKeyedChain(rows.links(), {
        plain: sha256Hex,
        keyed: keyedAt,
        keyedFrom: record?.keyedFrom ?? null,
        head: record ?? undefined,
      });
    },
    /** The head central anchors with each push; null when this chain's key record is damaged. */
    head(): AuditHead | null {
      observe();
      if (!record) return null;
      const h = rows.head();
      return { chain, seq: h?.seq ?? 0, hash: h?.hash ?? CHAIN_GENESIS, keyedFrom: record.keyedFrom };
    },
  };
}
export type KeyedChain = ReturnType<typeof createKeyedChain>;
