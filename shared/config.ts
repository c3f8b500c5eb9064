import { z } from 'zod';
import { roleSchema } from './api/role-schema';
import { singleLine } from './validation/text';

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
      })
      .strict()
      .default({ host: '127.0.0.1', port: 5180 }),
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
      })
      .strict()
      .optional(),
    /** This device is the hall hub: the Electron app serves the hall's queue to the LAN here too. */
    serveHub: z
      .object({ host: z.string().default('0.0.0.0'), port: z.number().int().min(1).max(65535).default(5181) })
      .strict()
      .optional(),
    /** Daily database backups kept in the data folder. */
    backupsToKeep: z.number().int().min(1).max(365).default(14),
    /** The leader pane locks itself after this long without activity (enforced by the core too). */
    leader: z
      .object({ idleLockSeconds: z.number().int().min(30).max(3600).default(180) })
      .strict()
      .default({ idleLockSeconds: 180 }),
  })
  .strict();
export type DeviceConfig = z.infer<typeof deviceConfigSchema>;
export type DeviceConfigInput = z.input<typeof deviceConfigSchema>;

export const defaultDeviceConfig: DeviceConfigInput = {
  hall: { code: 'DEMO01', name: '示范政务服务大厅' },
  deviceCode: 'D01',
  roles: ['counter'],
  demo: true,
};
