import fs from 'node:fs';
import path from 'node:path';
import { simulatedTurnsSchema, type SimulatedTurn } from '@shared/idcard/reader-config';
import { describeIssues } from '@shared/api';
import { idCardError, type IdCardReader } from './reader';

/**
 * A reader for tests, trials and demos: it plays its turns (a card, or a failure) one per read and
 * starts over. With a file, the turns are re-read every time, so whoever runs a demo changes the "card"
 * by editing it; a file that is missing or does not validate is a reader that is offline.
 */
export function createSimulatedReader(
  source: { turns: readonly SimulatedTurn[] } | { file: string },
  log?: { warn(obj: object, msg: string): void },
): IdCardReader {
  let next = 0;
  const turns = (): readonly SimulatedTurn[] => {
    if ('turns' in source) return source.turns;
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(source.file, 'utf8'));
    } catch (e) {
      log?.warn({ file: path.basename(source.file), err: (e as Error).message }, 'simulated ID card file unreadable');
      throw idCardError('READER_OFFLINE');
    }
    const parsed = simulatedTurnsSchema.safeParse(raw);
    if (!parsed.success) {
      log?.warn(
        { file: path.basename(source.file), issues: describeIssues(parsed.error) },
        'simulated ID card file invalid',
      );
      throw idCardError('READER_OFFLINE');
    }
    return parsed.data;
  };
  return {
    async read() {
      const all = turns();
      const turn = all[next % all.length]!;
      next = (next + 1) % all.length;
      if ('failure' in turn) throw idCardError(turn.failure, turn.failure === 'TIMEOUT' ? { timeoutMs: 0 } : {});
      return turn.card;
    },
  };
}
