import { z } from 'zod';
import { roleSchema } from './api/role-schema';
import { cryptoProfileSchema } from './crypto/profile';
import { idCardReaderConfigSchema } from './idcard/reader-config';
import { singleLine } from './validation/text';
import { centralPinSchema } from './sync/central-pin';

/** A device's own settings file (`onewindow.config.json` in its data folder). */
export const deviceConfigSchema = z
  .object({
    hall: z
      .object({
        code: z.string().regex(/^[A-Z0-9]{2,12}$/, { message: 'must be 2–12 capital letters or digits' }),
        name: singleLine(60),
      })
      .strict(),
    deviceCode: z.string().regex(/^[A-Z0-9]{2,8}$/, { message: 'must be 2–8 capital letters or digits' }),
    /** Windows this device opens in Electron; the browser host serves every role. */
    roles: z.array(roleSchema).min(1).max(5),
    web: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(5180),
        /**
         * Roles a page of the browser host may open a session for by itself: device screens. A person's
         * role (counter, admin, leader) gets a session that can only sign in; a rating screen, one that
         * can only pair.
         */
        publicRoles: z.array(z.enum(['kiosk', 'display'])).default(['kiosk', 'display']),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 5180, publicRoles: ['kiosk', 'display'] }),
    /**
     * The counter(s) a clerk may open on this PC (counter ids). Absent: any counter of the hall, fit for a
     * trial; a real counter PC names its window (a hub names it per device token instead).
     */
    counters: z
      .array(z.string().regex(/^[A-Za-z0-9_-]{1,40}$/))
      .min(1)
      .max(20)
      .optional(),
    /** The admin page signs its person out after this long without a call (等保: session timeout). */
    admin: z
      .object({ idleLockSeconds: z.number().int().min(60).max(3600).default(300) })
      .strict()
      .default({ idleLockSeconds: 300 }),
    /** Seed a demo hall (queues, counters, clerks with PIN 123456) into a new database: for trials only. */
    demo: z.boolean().default(false),
    /**
     * Where the hall queue lives. Absent: on this device (it is the hub). Present: `queue.*` calls go to
     * the hub at `url`, authenticated with the device token in `tokenFile` (given by `npm run hub --
     * --add-device`; kept out of this file so the config can be shared).
     */
    hub: z
      .object({
        url: z.url().refine((u) => /^https?:\/\//.test(u), { message: 'must be http(s)' }),
        tokenFile: z.string().min(1),
        /**
         * The hub's pin (`sha256/…`, printed with the token): an `https://` hub is reached only over a chain
         * to this key, and plain `http://` only on loopback (electron/core/api/hub-link.ts refuses the rest).
         */
        pin: centralPinSchema.optional(),
      })
      .strict()
      .optional(),
    /**
     * This device is the hall hub: the Electron app serves the hall's queue to the LAN here too, over
     * HTTPS/WSS with its own CA (kept in the data folder) and a certificate for `tlsHosts` (default: this
     * PC's name and LAN addresses), or with the hall's certificate in `tls` (PEM files, relative to the
     * data folder). Plain HTTP only when `host` is loopback.
     */
    serveHub: z
      .object({
        host: z.string().default('0.0.0.0'),
        port: z.number().int().min(1).max(65535).default(5181),
        tlsHosts: z
          .array(z.string().regex(/^[A-Za-z0-9.:-]+$/))
          .min(1)
          .optional(),
        tls: z
          .object({ certFile: z.string().min(1), keyFile: z.string().min(1) })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    /**
     * Key of the keyed hash (HMAC-SHA256) under which applicants' ID numbers are looked up, hex or base64,
     * at least 32 bytes; the same in every device of a deployment so central can merge profiles. Absent:
     * DEMO_ID_HASH_KEY, fit for trials only. A plain SHA-256 would not protect the numbers: resident IDs
     * have so little entropy (region, birth date, sequence, check digit) that every hash can be reversed
     * by trying all candidates; without the key that search is impossible.
     */
    idHashKey: z
      .string()
      .refine((k) => idHashKeyBytes(k) >= 32, { message: 'must be hex or base64 of at least 32 bytes' })
      .optional(),
    /**
     * Where the installed app looks for new versions: central's `/updates/` folder (electron-updater's
     * generic feed, e.g. `http://central.hall.lan:5190/updates/`). Absent: the app never checks, as in a
     * hall updated by hand (README, "Offline install and update").
     */
    updates: z
      .object({
        url: z.url().refine((u) => /^https?:\/\//.test(u), { message: 'must be http(s)' }),
        checkEveryHours: z.number().int().min(1).max(168).default(6),
      })
      .strict()
      .optional(),
    /**
     * Ratings (好差评): a rating token is good for this many minutes after the service; then the visit is
     * recorded as not rated (never a default grade).
     */
    rating: z
      .object({ tokenMinutes: z.number().int().min(1).max(120).default(10) })
      .strict()
      .default({ tokenMinutes: 10 }),
    /** The ID card reader (身份证读卡器) at this counter or kiosk. Absent: no reader ("reader offline"). */
    idCardReader: idCardReaderConfigSchema.optional(),
    /**
     * Scanned pages: a page central confirmed stays on this device this many days (reprints, a
     * department asking again) before its local copy is pruned.
     */
    attachments: z
      .object({ retentionDays: z.number().int().min(1).max(3650).default(30) })
      .strict()
      .default({ retentionDays: 30 }),
    /** Daily database backups kept in the data folder. */
    backupsToKeep: z.number().int().min(1).max(365).default(14),
    /**
     * Days an outbox row is kept once central acknowledged it: what the device can send again after central
     * is restored from a backup. Keep it at least as long as central's oldest restorable backup.
     */
    outboxKeepDays: z.number().int().min(1).max(3650).default(30),
    /** The leader pane locks itself after this long without activity (enforced by the core too). */
    leader: z
      .object({ idleLockSeconds: z.number().int().min(30).max(3600).default(180) })
      .strict()
      .default({ idleLockSeconds: 180 }),
    /**
     * The algorithms of this device's data at rest and keyed audit chains: `sm` for SM4-GCM and HMAC-SM3 (a
     * GB/T 39786 assessment), `default` for AES-256-GCM and HMAC-SHA-256. Switching keeps what was written
     * before readable: each sealed blob and each chain segment names its algorithm.
     */
    crypto: cryptoProfileSchema.default('default'),
  })
  .strict();
/** Bytes a hex or base64 key decodes to (0 when it is neither). */
export function idHashKeyBytes(key: string): number {
  if (/^(?:[0-9a-fA-F]{2})+$/.test(key)) return key.length / 2;
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(key) && key.length % 4 === 0) {
    return (key.length / 4) * 3 - (key.match(/=/g)?.length ?? 0);
  }
  return 0;
}

/** The documented demo key (hex): every trial device shares it, so no real deployment may use it. */
export const DEMO_ID_HASH_KEY = '6f6e6577696e646f772d64656d6f2d69642d686173682d6b65792d6e6f742d666f722d70726f64';

export type DeviceConfig = z.infer<typeof deviceConfigSchema>;
export type DeviceConfigInput = z.input<typeof deviceConfigSchema>;

export const defaultDeviceConfig: DeviceConfigInput = {
  hall: { code: 'DEMO01', name: '示范政务服务大厅' },
  deviceCode: 'D01',
  roles: ['counter'],
  demo: false,
};
