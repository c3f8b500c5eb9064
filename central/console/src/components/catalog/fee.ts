/** A fee in fen (分) as the console shows it: 免费, or yuan with its cents. */
export function yuanText(feeFen: number, t: (key: string, params?: Record<string, unknown>) => string): string {
  return feeFen === 0 ? t('catalog.fee.free') : t('catalog.fee.yuan', { amount: (feeFen / 100).toFixed(2) });
}

/** Yuan typed in the form (two decimals at most) as fen; NaN for what is no amount. */
export function fenOf(yuan: number | null | undefined): number {
  return typeof yuan === 'number' && Number.isFinite(yuan) ? Math.round(yuan * 100) : Number.NaN;
}
