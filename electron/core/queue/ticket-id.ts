import crypto from 'node:crypto';

let lastMs = 0;
let counter = 0;

/**
 * A ticket's id: a UUID version 7 (RFC 9562), the issue time in ms, then a 12-bit counter that keeps ids of one
 * millisecond (or of a clock held still) in order (the RFC's method 1), then the variant and 62 random bits.
 * Random v4 ids landed anywhere in the tickets' primary key and in every index of ticket ids, splitting pages
 * on each issue and leaving them two-thirds full; ids in order append at the end. The random bits keep an id
 * unguessable where it is quoted (a ticket's status link).
 */
export function newTicketId(at: Date): string {
  let ms = at.getTime();
  if (ms <= lastMs) {
    counter++;
    ms = lastMs;
    if (counter > 0xfff) {
      ms++;
      counter = 0;
    }
  } else counter = 0;
  lastMs = ms;
  const time = ms.toString(16).padStart(12, '0');
  // A v4 UUID's last two groups are its variant and 62 random bits, from Node's buffered random pool.
  const random = crypto.randomUUID().slice(19);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${counter.toString(16).padStart(3, '0')}-${random}`;
}
