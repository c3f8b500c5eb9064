/** Display number of a ticket: queue prefix + daily sequence, zero-padded to 3 digits (4 after 999). */
export function formatTicketNumber(prefix: string, seq: number): string {
  if (!Number.isInteger(seq) || seq < 1 || seq > 9999) throw new RangeError(`ticket sequence ${seq} out of range`);
  return `${prefix}${String(seq).padStart(seq > 999 ? 4 : 3, '0')}`;
}
