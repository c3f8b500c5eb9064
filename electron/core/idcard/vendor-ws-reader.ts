import WebSocket from 'ws';
import type { VendorWsReaderConfig } from '@shared/idcard/reader-config';
import { idCardError, type IdCardReader } from './reader';
import { cardFromVendorAnswer, type VendorAnswerLog } from './vendor-answer';

/** A card's answer is a few tens of KiB (the photo); a service sending more is not answering a read. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * The local WebSocket service some readers' vendors install instead of an HTTP one (docs/peripherals.md): a
 * socket per read, the configured request sent once it opens, the first message the answer, mapped as the HTTP
 * service's is. Not reachable: reader offline; no answer within `timeoutMs`: timeout; anything but the
 * protocol's JSON: unreadable.
 */
export function createVendorWsReader(cfg: VendorWsReaderConfig, log?: VendorAnswerLog): IdCardReader {
  return {
    async read() {
      const raw = await new Promise<unknown>((resolve, reject) => {
        const socket = new WebSocket(cfg.url, { maxPayload: MAX_ANSWER_BYTES, handshakeTimeout: cfg.timeoutMs });
        const done = (settle: () => void) => {
          clearTimeout(timer);
          socket.removeAllListeners();
          socket.on('error', () => undefined);
          socket.terminate();
          settle();
        };
        const timer = setTimeout(
          () => done(() => reject(idCardError('TIMEOUT', { timeoutMs: cfg.timeoutMs }))),
          cfg.timeoutMs,
        );
        socket.once('open', () => socket.send(cfg.request));
        socket.once('message', (data, isBinary) =>
          done(() => {
            try {
              if (isBinary) throw new Error('a binary frame');
              resolve(JSON.parse(String(data)));
            } catch {
              log?.warn({ reason: 'NOT_JSON' }, 'ID card reader answered outside its protocol');
              reject(idCardError('UNREADABLE'));
            }
          }),
        );
        socket.once('error', (e: Error & { code?: string }) =>
          done(() => {
            const tooLarge = /max payload/i.test(e.message);
            log?.warn(
              tooLarge ? { reason: 'TOO_LARGE' } : { reason: 'UNREACHABLE', cause: e.code },
              tooLarge ? 'ID card reader answered more than a card' : 'ID card reader service unreachable',
            );
            reject(idCardError(tooLarge ? 'UNREADABLE' : 'READER_OFFLINE'));
          }),
        );
        socket.once('close', () => done(() => reject(idCardError('READER_OFFLINE'))));
      });
      return cardFromVendorAnswer(raw, cfg, log);
    },
  };
}
