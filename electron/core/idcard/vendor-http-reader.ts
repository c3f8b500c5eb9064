import type { VendorHttpReaderConfig } from '@shared/idcard/reader-config';
import { idCardError, type IdCardReader } from './reader';
import { cardFromVendorAnswer, type VendorAnswerLog } from './vendor-answer';

/** A card's answer is a few tens of KiB (the photo); a service sending more is not answering a read. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * The local HTTP service a reader's vendor installs on the PC (docs/peripherals.md): one request per
 * read, answered with JSON mapped by the device config. Not reachable: reader offline; slower than
 * `timeoutMs`: timeout; anything but the protocol's JSON: unreadable.
 */
export function createVendorHttpReader(cfg: VendorHttpReaderConfig, log?: VendorAnswerLog): IdCardReader {
  return {
    async read() {
      const signal = AbortSignal.timeout(cfg.timeoutMs);
      let body: string;
      try {
        const res = await fetch(cfg.url, { method: cfg.method, signal, headers: { accept: 'application/json' } });
        if (!res.ok) {
          log?.warn({ httpStatus: res.status }, 'ID card reader service answered an HTTP error');
          await res.body?.cancel();
          throw idCardError('UNREADABLE');
        }
        body = await readLimited(res);
      } catch (e) {
        throw failureOf(e, signal, cfg.timeoutMs, log);
      }
      let raw: unknown;
      try {
        raw = JSON.parse(body);
      } catch {
        log?.warn({ reason: 'NOT_JSON', bytes: body.length }, 'ID card reader answered outside its protocol');
        throw idCardError('UNREADABLE');
      }
      return cardFromVendorAnswer(raw, cfg, log);
    },
  };
}

async function readLimited(res: Response): Promise<string> {
  if (!res.body) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Uint8Array).byteLength;
    if (size > MAX_ANSWER_BYTES) throw new AnswerTooLarge();
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks).toString('utf8');
}

class AnswerTooLarge extends Error {}

function failureOf(e: unknown, signal: AbortSignal, timeoutMs: number, log?: VendorAnswerLog): Error {
  if ((e as { name?: string }).name === 'AppError') return e as Error;
  if (signal.aborted) return idCardError('TIMEOUT', { timeoutMs });
  if (e instanceof AnswerTooLarge) {
    log?.warn({ reason: 'TOO_LARGE' }, 'ID card reader answered more than a card');
    return idCardError('UNREADABLE');
  }
  // fetch gives a TypeError for a refused or reset connection: the service is not running.
  log?.warn(
    { reason: 'UNREACHABLE', cause: (e as { cause?: { code?: string } }).cause?.code },
    'ID card reader service unreachable',
  );
  return idCardError('READER_OFFLINE');
}
