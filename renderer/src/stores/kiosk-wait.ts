/** How to say a wait in minutes: which `kioskPage.wait.*` message and its parameters. */
export function waitMessage(minutes: number): {
  key: 'none' | 'minutes' | 'hours' | 'wholeHours';
  params: Record<string, number>;
} {
  if (minutes <= 0) return { key: 'none', params: {} };
  if (minutes < 60) return { key: 'minutes', params: { n: minutes } };
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  // "5 h 0 min" reads as a typo.
  return m === 0 ? { key: 'wholeHours', params: { h } } : { key: 'hours', params: { h, m } };
}
