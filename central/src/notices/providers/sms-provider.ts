import fs from 'node:fs/promises';
import type { NoticeKind, NoticeParams } from '@shared/notices/notices';
import { maskPhone } from '@shared/validation/mask';

/** One SMS as central would send it: the rendered text, and the parameters for a provider's own template. */
export interface SmsMessage {
  phone: string;
  kind: NoticeKind;
  text: string;
  params: NoticeParams;
}

/**
 * What a provider answered. `permanent`: sending it again cannot succeed (a bad number, a template the
 * provider refused), so it goes straight to the dead letters instead of being retried.
 */
export type SmsResult = { ok: true; ref: string } | { ok: false; error: string; permanent: boolean };

/** An SMS gateway. A thrown error counts as a transient failure (network, timeout). */
export interface SmsProvider {
  readonly name: string;
  send(message: SmsMessage): Promise<SmsResult>;
}

/** A tracking link's query code is a password to the case's progress: never in a log. */
const redacted = (text: string) => text.replace(/([?&]code=)[^&\s]+/g, '$1***');

/**
 * The default: nothing leaves central. Each message is appended, as one JSON line, to `file` (or handed
 * to `log`), with the phone masked and the tracking code hidden, so a deployment without an SMS contract
 * can see what would have been sent.
 */
export function logOnlySmsProvider(out: { file: string } | { log: (line: Record<string, unknown>) => void }) {
  let n = 0;
  const provider: SmsProvider = {
    name: 'log',
    async send(m) {
      const line = { at: new Date().toISOString(), to: maskPhone(m.phone), kind: m.kind, text: redacted(m.text) };
      if ('file' in out) await fs.appendFile(out.file, `${JSON.stringify(line)}\n`, { mode: 0o600 });
      else out.log(line);
      n += 1;
      return { ok: true, ref: `log-${n}` };
    },
  };
  return provider;
}
