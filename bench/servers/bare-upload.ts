// The limit of the attachment upload figure: a bare node:http server in its own process taking each page
// as one raw `PUT /<name>` and writing its bytes to a file in `dir`, fsync'd before it answers (central
// fsyncs each page before it keeps it). No auth, no hashing, no chunks, no database: the same bytes to disk.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { answer, childConfig } from '../lib/child';

const config = childConfig<{ dir: string }>();

const server = http.createServer((req, res) => {
  const name = /^\/([0-9a-f]{64})$/.exec(req.url ?? '')?.[1];
  if (req.method !== 'PUT' || !name) {
    req.resume();
    res.writeHead(404).end();
    return;
  }
  const fd = fs.openSync(path.join(config.dir, name), 'w', 0o600);
  let received = 0;
  req.on('data', (c: Buffer) => {
    fs.writeSync(fd, c);
    received += c.length;
  });
  req.on('end', () => {
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ received }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => answer({ type: 'listening', port: (server.address() as AddressInfo).port }));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
