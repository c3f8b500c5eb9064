// The limit of the hub-over-WebSocket figure: a bare `ws` server in its own process with the hub's
// framing (hello with a token, then calls), the same ticket insert (raw-ticket.ts), and the same fan-out:
// every issue pushes `queue.changed` to every welcomed socket, as the hub does to every device.
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { answer, childConfig } from '../lib/child';
import { BENCH_HALL_DAY, openRaw, rawTicketInserter } from '../lib/raw-ticket';
import { issued, issueInput, refused, type BareConfig } from './bare-config';

const config = childConfig<BareConfig>();
const db = openRaw(config.dbFile);
const issue = rawTicketInserter(db);
const tokens = new Set(config.tokens);
const welcomed = new Set<WebSocket>();
const changed = JSON.stringify({ type: 'event', name: 'queue.changed', payload: { hallDay: BENCH_HALL_DAY } });

type Frame = { type?: string; token?: string; id?: number; method?: string; input?: unknown };

const wss: WebSocketServer = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/api/v1/ws' }, () =>
  answer({ type: 'listening', port: (wss.address() as AddressInfo).port }),
);
wss.on('connection', (socket) => {
  socket.on('close', () => welcomed.delete(socket));
  socket.on('message', (data) => {
    let msg: Frame;
    try {
      msg = JSON.parse(String(data)) as Frame;
    } catch {
      return void socket.send(JSON.stringify({ type: 'error', error: refused('INVALID_INPUT').error }));
    }
    if (msg.type === 'hello') {
      if (!tokens.has(msg.token ?? '')) return void socket.close(4401, 'unauthenticated');
      welcomed.add(socket);
      return void socket.send(JSON.stringify({ type: 'welcome', role: 'kiosk' }));
    }
    if (!welcomed.has(socket)) {
      return void socket.send(JSON.stringify({ type: 'result', id: msg.id, result: refused('UNAUTHENTICATED') }));
    }
    const input = msg.method === 'queue.ticket.issue' ? issueInput(msg.input) : undefined;
    if (!input)
      return void socket.send(JSON.stringify({ type: 'result', id: msg.id, result: refused('INVALID_INPUT') }));
    const result = issued(issue(input.queueId, input.applicantType));
    // The hub publishes after the commit and before it answers the caller: the same order here.
    for (const s of welcomed) s.send(changed);
    socket.send(JSON.stringify({ type: 'result', id: msg.id, result }));
  });
});
process.on('SIGTERM', () => {
  for (const s of wss.clients) s.terminate();
  wss.close(() => {
    db.close();
    process.exit(0);
  });
});
