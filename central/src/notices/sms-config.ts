import fs from 'node:fs';
import path from 'node:path';
import { aliyunSmsConfigSchema, aliyunSmsProvider } from './providers/aliyun-sms';
import { logOnlySmsProvider, type SmsProvider } from './providers/sms-provider';

/**
 * The SMS provider from the environment: CENTRAL_SMS_PROVIDER `log` (the default: nothing is sent, each
 * message is appended to CENTRAL_SMS_LOG, default ./.central-sms.log) or `aliyun`, configured by the JSON
 * file CENTRAL_SMS_ALIYUN_CONFIG (access key, 签名, one approved template code per notice kind). A
 * misconfiguration stops central at start, not at the first notice.
 */
export function smsProviderFromEnv(env: NodeJS.ProcessEnv): SmsProvider {
  const kind = env.CENTRAL_SMS_PROVIDER?.trim() || 'log';
  if (kind === 'log') return logOnlySmsProvider({ file: path.resolve(env.CENTRAL_SMS_LOG ?? '.central-sms.log') });
  if (kind !== 'aliyun') throw new Error(`CENTRAL_SMS_PROVIDER must be log or aliyun, not ${kind}`);
  const file = env.CENTRAL_SMS_ALIYUN_CONFIG;
  if (!file) throw new Error('CENTRAL_SMS_PROVIDER=aliyun needs CENTRAL_SMS_ALIYUN_CONFIG (a JSON file)');
  const parsed = aliyunSmsConfigSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`CENTRAL_SMS_ALIYUN_CONFIG: ${parsed.error.message}`);
  return aliyunSmsProvider(parsed.data as Parameters<typeof aliyunSmsProvider>[0]);
}
