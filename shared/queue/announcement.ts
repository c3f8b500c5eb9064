/**
 * What the hall display says for a call, as text (shown and spoken) and as the ordered list of
 * pre-recorded clips that speak it offline. Ticket digits are read one by one ("A零一二号"), counter
 * numbers as numbers ("十二号窗口"), as halls do.
 */
const DIGITS_ZH = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

export function counterNumberZh(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new RangeError(`counter number ${n} out of range`);
  if (n < 10) return DIGITS_ZH[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS_ZH[tens]!}十${ones === 0 ? '' : DIGITS_ZH[ones]!}`;
}

export function announcementText(ticketNumber: string, counterNumber: number, locale: 'zh-CN' | 'en-US'): string {
  return locale === 'zh-CN'
    ? `请${ticketNumber}号到${counterNumber}号窗口办理`
    : `Number ${ticketNumber.split('').join(' ')}, please go to counter ${counterNumber}`;
}

/** Clip names (files `voice/<name>.wav`) that speak the Chinese announcement, chime first. */
export function announcementClips(ticketNumber: string, counterNumber: number): string[] {
  const clips = ['chime', 'qing'];
  for (const ch of ticketNumber) clips.push(/\d/.test(ch) ? `d${ch}` : `l${ch.toUpperCase()}`);
  clips.push('hao-dao');
  for (const ch of counterNumberZh(counterNumber)) {
    clips.push(ch === '十' ? 'd10' : `d${DIGITS_ZH.indexOf(ch)}`);
  }
  clips.push('hao-chuangkou-banli');
  return clips;
}
