/** An identity number as printed and listed: 110105********1234 (long ids), E1*****78 (short ones). */
export function maskIdNumber(id: string): string {
  const [head, tail] = id.length >= 15 ? [6, 4] : id.length >= 6 ? [2, 2] : [0, 0];
  return id.slice(0, head) + '*'.repeat(id.length - head - tail) + id.slice(id.length - tail);
}

/** A phone number on public screens: 138****8000. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(phone.length);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}
