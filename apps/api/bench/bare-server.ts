/**
 * The baseline: a bare socket.io 4.8 server that broadcasts whatever POST /emit receives to every
 * connected socket and answers once it has. No database, no auth, no rooms: the floor Parley's
 * live path is compared with.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/emit') {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const entry = JSON.parse(Buffer.concat(chunks).toString()) as unknown;
    server.emit('change', entry);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
});
const server = new Server(http, { transports: ['websocket'], serveClient: false });
http.listen(Number(process.env['PORT']), '127.0.0.1', () => process.send?.({ type: 'listening' }));
