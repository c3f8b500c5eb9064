import zlib from 'node:zlib';

/**
 * How an outbox row keeps its args: the JSON, deflated (raw deflate) against a preset dictionary of the
 * keys and values the busy mutations repeat (case.create, visit.record, applicant.upsert, the day archive's
 * tickets), after one format byte. The args are kept until central acknowledged them and then for the
 * resend after a restore of central (outbox-store's prune): most of a counter's database after its cases.
 * A row's JSON alone deflates to about half; against the dictionary to about a quarter, as its ids (random
 * UUIDs) are most of what is left.
 *
 * FORMAT 1's dictionary is part of the stored rows: never edit it. Another dictionary is another format
 * byte, with this one kept to read the rows written before.
 */
const FORMAT_1 = 1;
const DICTIONARY_1 = Buffer.from(
  [
    '{"auditId":"","seq":1,"hash":"","prevHash":"","actorStaffId":"","actorLogin":"","origin":"counter-window-1",',
    '"target":null,"action":"sign_in","outcome":"ok","detail":{"via":"pin"},"at":"2026-01-01T00:00:00.000Z"}',
    '{"id":"","queueId":"general","parentId":null,"state":"done","counterId":"w1","issuedAt":"",',
    '"firstCalledAt":"","serviceStartedAt":"","finishedAt":"","finishedBy":{"clerkId":"","name":"","at":""}}',
    '{"applicantId":"","kind":"person","name":"","idType":"resident_id","idHash":"","idMasked":"********",',
    '"phone":"138","segment":"citizen","orgType":null,"contactName":null,"at":"2026-01-01T00:00:00.000Z"}',
    '{"visitId":"","counterId":"w1","counterNumber":1,"clerkName":"","ticketId":"","ticketNumber":"A001",',
    '"hallDay":"2026-01-01","applicantId":"","startedAt":"2026-01-01T00:00:00.000Z"}',
    '{"caseId":"","caseNumber":"-2026-C01-0001","state":"dispatched","applicantId":"","matterCode":"",',
    '"departmentId":"","visitId":"","ticketId":"","ticketNumber":"A001","counterId":"w1","counterNumber":1,',
    '"clerkName":"","feeFen":0,"materials":[{"materialId":"id-card","requirement":"required","status":"received"},',
    '{"materialId":"","requirement":"tolerant","status":"missing"},{"materialId":"","requirement":"optional",',
    '"status":"tolerated"}],"createdAt":"2026-01-01T00:00:00.000Z","acceptedAt":"2026-01-01T00:00:00.000Z",',
    '"promisedDate":"2026-01-01","toleranceDueDate":null,"queryCode":"","rejectReason":null,"events":[',
    '{"action":"accept","fromState":"draft","toState":"accepted","at":"2026-01-01T00:00:00.000Z"},',
    '{"action":"dispatch","fromState":"accepted","toState":"dispatched","at":"2026-01-01T00:00:00.000Z"}]}',
  ].join(''),
);

/** The stored form of a mutation's args. */
export function encodeArgs(args: unknown): Buffer {
  const packed = zlib.deflateRawSync(JSON.stringify(args), { dictionary: DICTIONARY_1 });
  return Buffer.concat([Buffer.of(FORMAT_1), packed]);
}

/** A mutation's args from their stored form. */
export function decodeArgs(stored: Buffer): unknown {
  if (stored[0] !== FORMAT_1) throw new Error(`outbox args of an unknown format (${stored[0]})`);
  return JSON.parse(zlib.inflateRawSync(stored.subarray(1), { dictionary: DICTIONARY_1 }).toString('utf8'));
}
