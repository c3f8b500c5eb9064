// The limit of the hub-over-HTTP figure: a bare Node http server in its own process doing the same
// ticket insert (raw-ticket.ts) for `POST /api/v1/call/queue.ticket.issue` with a kiosk's bearer token.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { answer, childConfig } from '../lib/child';
import { openRaw, rawTicketInserter } from '../lib/raw-ticket';
import { issued, issueInput, refused, type BareConfig } from './bare-config';

const config = childConfig<BareConfig>();
const db = openRaw(config.dbFile);
const issue = rawTicketInserter(db);
const tokens = new Set(config.tokens.map((t) => `Bearer ${t}`));

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let body: object;
    if (req.method !== 'POST' || req.url !== '/api/v1/call/queue.ticket.issue') body = refused('NOT_FOUND');
    else if (!tokens.has(req.headers.authorization ?? '')) body = refused('UNAUTHENTICATED');
    else {
      let input: ReturnType<typeof issueInput>;
      try {
        input = issueInput(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        input = undefined;
      }
      body = input ? issued(issue(input.queueId, input.applicantType)) : refused('INVALID_INPUT');
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => answer({ type: 'listening', port: (server.address() as AddressInfo).port }));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => {
    db.close();
    process.exit(0);
  });
});
