// Child process for the power-loss test: `node --import tsx tests/reliability/issue-then-die.ts <dataDir>
// <mutationId>` issues one ticket on the device database in <dataDir>, reports it on stdout once the
// transaction has committed, and then "prints" forever, until the test kills it -9 mid-print.
import { startQueueCore } from '../fixtures/queue-core';

const [dataDir, mutationId] = process.argv.slice(2);
const q = await startQueueCore(undefined, { dataDir: dataDir! });
const issued = q.queue.issue(
  { mutationId: mutationId!, queueId: 'general', applicantType: 'person', priority: 'none' },
  q.kiosk,
);
const synchronous = q.db.pragma('synchronous', { simple: true });
process.stdout.write(JSON.stringify({ committed: issued.ticket, synchronous }) + '\n');
// The receipt printer: slow, and never finishes before the power goes.
setInterval(() => undefined, 1000);
