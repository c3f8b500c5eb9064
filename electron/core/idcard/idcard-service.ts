import path from 'node:path';
import type { IdCardReaderConfig } from '@shared/idcard/reader-config';
import { idCardExpired, type IdCard } from '@shared/idcard/card';
import { hashApplicantId } from '../intake/id-hash';
import { idCardError, type IdCardReader } from './reader';
import { createSimulatedReader } from './simulated-reader';
import { createVendorHttpReader } from './vendor-http-reader';
import { createVendorWsReader } from './vendor-ws-reader';

type Log = { warn(obj: object, msg: string): void };

/** The reader the device config names; none configured: every read says the reader is offline. */
export function createConfiguredReader(cfg: IdCardReaderConfig | undefined, dataDir: string, log?: Log): IdCardReader {
  if (!cfg) return { read: () => Promise.reject(idCardError('READER_OFFLINE')) };
  if (cfg.kind === 'vendor-http') return createVendorHttpReader(cfg, log);
  if (cfg.kind === 'vendor-ws') return createVendorWsReader(cfg, log);
  return createSimulatedReader(cfg.turns ? { turns: cfg.turns } : { file: path.resolve(dataDir, cfg.file!) }, log);
}

/**
 * Reads at this device's reader for a counter or a kiosk. An expired card is refused with its dates: the
 * hall accepts no application on it. One read at a time: a second press while the reader works waits for
 * the same answer rather than asking the reader twice.
 */
export function createIdCardService(opts: { reader: IdCardReader; hallDay: () => string; idHashKey: Buffer }) {
  let inFlight: Promise<IdCard> | undefined;
  const readOnce = (): Promise<IdCard> => {
    inFlight ??= opts.reader.read().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  async function read(): Promise<IdCard> {
    const card = await readOnce();
    if (idCardExpired(card, opts.hallDay())) {
      throw idCardError('EXPIRED', { validFrom: card.validFrom, validTo: card.validTo });
    }
    return card;
  }

  return {
    read,
    /** The card holder as the queue may know them: the keyed lookup hash of their ID, nothing else. */
    async holderHash(): Promise<string> {
      const card = await read();
      return hashApplicantId(opts.idHashKey, 'resident_id', card.idNumber);
    },
  };
}
export type IdCardService = ReturnType<typeof createIdCardService>;
