// A first client of an incident, run as a process of its own by the load benchmark (a client in
// the server's process could not read what it is sent while the server builds the document).
// Prints one JSON line: `received`, ms from asking for a socket until a whole sync step 2 is
// received (sent as a new client sends its step 1: with nothing); or, with `provider`, `synced`,
// ms from a stock WebsocketProvider's creation until it is synced (which adds applying the state).
// Run: node --import tsx test/bench/firstClient.ts <received|provider> <server url> <incident> <token>
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

const [mode, url, id, token] = process.argv.slice(2);
if (!url || !id || !token || (mode !== 'received' && mode !== 'provider'))
  throw new Error('usage: firstClient.ts <received|provider> <server url> <incident> <token>');
const ws = url.replace(/^http/, 'ws');

async function received(): Promise<number> {
  const t = performance.now();
  const socket = new WebSocket(`${ws}/yjs/${id}?token=${token}`);
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(new Uint8Array([0, 0, 1, 0]));
  await new Promise<void>((resolve) =>
    socket.on('message', (data: Buffer) => {
      if (data[0] === 0 && data[1] === 1) resolve();
    }),
  );
  const ms = performance.now() - t;
  socket.close();
  return ms;
}

async function synced(): Promise<number> {
  const t = performance.now();
  const p = new WebsocketProvider(`${ws}/yjs`, id as string, new Y.Doc(), {
    params: { token: token as string },
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
  });
  await new Promise<void>((resolve) => p.once('sync', () => resolve()));
  const ms = performance.now() - t;
  p.destroy();
  return ms;
}

const ms = mode === 'received' ? await received() : await synced();
process.stdout.write(`${JSON.stringify({ ms })}\n`);
process.exit(0);
