import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { deflatedStream, packSnapshot } from '../store/snapshotCodec.js';
import { DEFLATE_OPTIONS, acceptedExtensions, deflatedSink, readsDeflated } from './deflatedFrames.js';

describe('stored deflate data on a websocket', () => {
  it('is read as one message by a ws client, in order with the frames ws sends', async () => {
    const state = new TextEncoder().encode('finding: pool saturated on checkout-api. '.repeat(60_000));
    const stream = deflatedStream(await packSnapshot(state));
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: DEFLATE_OPTIONS });
    const accepted = new Map<unknown, string>();
    wss.on('headers', (headers, req) => accepted.set(req, acceptedExtensions(headers)));
    const server = createServer();
    server.on('upgrade', (req, socket, head) =>
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.send(Buffer.of(1));
        const sink = deflatedSink(socket, accepted.get(req) ?? '');
        sink?.write(Buffer.of(7, 7), stream ?? []);
        ws.send(Buffer.of(2));
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const got: Buffer[] = [];
    await new Promise<void>((resolve) =>
      client.on('message', (d: Buffer) => {
        got.push(d);
        if (got.length === 3) resolve();
      }),
    );
    client.close();
    server.close();
    expect(got[0]).toEqual(Buffer.of(1));
    expect(Buffer.compare(got[1] ?? Buffer.alloc(0), Buffer.concat([Buffer.of(7, 7), state]))).toBe(0);
    expect(got[2]).toEqual(Buffer.of(2));
  });

  it('goes only where the server kept no context and the window is the whole of it', () => {
    const ok = 'permessage-deflate; server_no_context_takeover; client_no_context_takeover';
    expect(readsDeflated(ok)).toBe(true);
    expect(readsDeflated(`${ok}; server_max_window_bits=15`)).toBe(true);
    expect(readsDeflated(`${ok}; server_max_window_bits=10`)).toBe(false);
    expect(readsDeflated('permessage-deflate')).toBe(false);
    expect(readsDeflated('')).toBe(false);
    expect(deflatedSink(null as never, '')).toBeNull();
  });
});
