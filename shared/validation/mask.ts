/** A person's identity number as printed and listed: 110105********1234 (long ids), E1*****78 (short ones). */
export function maskIdNumber(id: string): string {
  const [head, tail] = id.length >= 15 ? [6, 4] : id.length >= 6 ? [2, 2] : [0, 0];
  return id.slice(0, head) + '*'.repeat(id.length - head - tail) + id.slice(id.length - tail);
}

/**
 * An applicant's identity number as every screen and document shows it: a person's masked, an
 * organisation's unified social credit code in full (it is public, printed on its business licence).
 */
export function shownIdNumber(idType: string, id: string): string {
  return idType === 'uscc' ? id : maskIdNumber(id);
}

/** A phone number on public screens: 138****8000. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(phone.length);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/**
 * An applicant's name where the public or another department may read it: a person's as the first
 * character and two stars whatever its length (张**), an organisation's whole (its name is public).
 */
export function maskApplicantName(kind: 'person' | 'organisation', name: string): string {
  if (kind === 'organisation') return name;
  const first = Array.from(name.trim())[0];
  return first ? `${first}**` : '';
}
