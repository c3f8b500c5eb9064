import crypto from 'node:crypto';
import { z } from 'zod';
import { NOTICE_KINDS, QUEUE_NOTICE_KINDS, isQueueNoticeKind, type NoticeKind } from '@shared/notices/notices';
import type { SmsProvider, SmsResult } from './sms-provider';

/**
 * Alibaba Cloud SMS (阿里云短信服务), API `SendSms` version 2017-05-25, as its public docs describe it:
 *
 * - `GET https://dysmsapi.aliyuncs.com/?<query>` (RPC style). The query holds the common parameters
 *   `AccessKeyId`, `Action=SendSms`, `Format=JSON`, `RegionId`, `SignatureMethod=HMAC-SHA1`,
 *   `SignatureNonce` (new per request), `SignatureVersion=1.0`, `Timestamp` (UTC, `yyyy-MM-ddTHH:mm:ssZ`),
 *   `Version=2017-05-25`, and the operation's `PhoneNumbers`, `SignName` (the approved 签名),
 *   `TemplateCode` (an approved template, `SMS_…`), `TemplateParam` (JSON of the template's `${vars}`),
 *   optional `OutId` (the caller's reference, echoed in delivery reports).
 * - Signature (RPC v1): sort the parameters by name; percent-encode names and values (RFC 3986: only
 *   `A–Z a–z 0–9 - _ . ~` stay as they are, so a space is `%20`, `*` is `%2A`); join as `k=v&…`;
 *   StringToSign = `GET&%2F&` + percentEncode(that string); `Signature` = Base64(HMAC-SHA1(key =
 *   AccessKeySecret + "&", StringToSign)), added to the query (encoded like the rest).
 * - Answer: JSON `{ Code, Message, RequestId, BizId }`; `Code: "OK"` is accepted for delivery (BizId
 *   names it). Other codes are refusals: `isv.*` of the number, signature or template cannot succeed on a
 *   retry; flow control (`isv.BUSINESS_LIMIT_CONTROL`), `isp.*` and HTTP errors may.
 *
 * The text central renders is not sent: the provider sends only its approved template, filled with the
 * notice's parameters, so each notice kind is mapped to one approved TemplateCode. The queue ticket's
 * notices came later: a contract without templates for them still starts, and their notices are refused.
 */
type QueueNoticeKind = (typeof QUEUE_NOTICE_KINDS)[number];

export interface AliyunSmsConfig {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templateCodes: Record<Exclude<NoticeKind, QueueNoticeKind>, string> & Partial<Record<QueueNoticeKind, string>>;
  /** `https://dysmsapi.aliyuncs.com` unless a test points it at a fake. */
  endpoint?: string;
  regionId?: string;
  timeoutMs?: number;
  /** Tests fix the nonce and the time to compare with recorded requests. */
  nonce?: () => string;
  now?: () => Date;
}

export const aliyunSmsConfigSchema = z.object({
  accessKeyId: z.string().min(1),
  accessKeySecret: z.string().min(1),
  signName: z.string().min(1),
  templateCodes: z.object(
    Object.fromEntries(
      NOTICE_KINDS.map((k) => {
        const code = z.string().regex(/^SMS_\w+$/);
        return [k, isQueueNoticeKind(k) ? code.optional() : code];
      }),
    ),
  ),
  endpoint: z.url().optional(),
  regionId: z.string().optional(),
});

const answerSchema = z.object({
  Code: z.string(),
  Message: z.string().optional(),
  RequestId: z.string().optional(),
  BizId: z.string().optional(),
});

/** Refusals about the number, the signature or the template: a retry would be refused again. */
const PERMANENT = new Set([
  'isv.MOBILE_NUMBER_ILLEGAL',
  'isv.MOBILE_COUNT_OVER_LIMIT',
  'isv.SMS_SIGNATURE_ILLEGAL',
  'isv.SMS_TEMPLATE_ILLEGAL',
  'isv.TEMPLATE_MISSING_PARAMETERS',
  'isv.INVALID_PARAMETERS',
  'isv.PARAM_LENGTH_LIMIT',
  'isv.BLACK_KEY_CONTROL_LIMIT',
  'isv.ACCOUNT_NOT_EXISTS',
]);

/** RFC 3986 encoding as the signature wants it (encodeURIComponent leaves `!'()*` alone). */
export const percentEncode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

/** The RPC v1 signature of these parameters (without `Signature`) for an HTTP method. */
export function aliyunSignature(params: Record<string, string>, secret: string, method = 'GET'): string {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join('&');
  const stringToSign = `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
  return crypto.createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
}

const timestamp = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function aliyunSmsProvider(config: AliyunSmsConfig): SmsProvider {
  const endpoint = (config.endpoint ?? 'https://dysmsapi.aliyuncs.com').replace(/\/+$/, '');
  return {
    name: 'aliyun',
    async send(m): Promise<SmsResult> {
      const templateCode = config.templateCodes[m.kind];
      if (!templateCode) return { ok: false, error: `no TemplateCode for ${m.kind}`, permanent: true };
      const params: Record<string, string> = {
        AccessKeyId: config.accessKeyId,
        Action: 'SendSms',
        Format: 'JSON',
        RegionId: config.regionId ?? 'cn-hangzhou',
        SignatureMethod: 'HMAC-SHA1',
        SignatureNonce: config.nonce?.() ?? crypto.randomUUID(),
        SignatureVersion: '1.0',
        Timestamp: timestamp(config.now?.() ?? new Date()),
        Version: '2017-05-25',
        PhoneNumbers: m.phone,
        SignName: config.signName,
        TemplateCode: templateCode,
        TemplateParam: JSON.stringify(m.params),
      };
      const signature = aliyunSignature(params, config.accessKeySecret);
      const query = Object.entries({ Signature: signature, ...params })
        .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
        .join('&');
      const res = await fetch(`${endpoint}/?${query}`, { signal: AbortSignal.timeout(config.timeoutMs ?? 10_000) });
      const body = answerSchema.safeParse(await res.json().catch(() => null));
      if (!body.success) return { ok: false, error: `HTTP ${res.status}: not an SendSms answer`, permanent: false };
      const { Code, Message, BizId } = body.data;
      if (res.ok && Code === 'OK') return { ok: true, ref: BizId ?? body.data.RequestId ?? '' };
      return { ok: false, error: `${Code}: ${Message ?? ''}`.trim(), permanent: PERMANENT.has(Code) };
    },
  };
}
