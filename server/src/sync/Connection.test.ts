import type { Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { Metrics } from '../metrics.js';
import { Connection, MAX_QUEUED_BYTES } from './Connection.js';
import type { RoomChannel } from './RoomChannel.js';

const MiB = 1024 * 1024;

/** A connection over a socket that queues what it is sent until `read` takes it. */
function connection() {
  const socket = { queued: 0, dropped: false };
  const ws = {
    OPEN: 1,
    readyState: 1,
    get bufferedAmount() {
      return socket.queued;
    },
    send: (frame: Uint8Array) => void (socket.queued += frame.byteLength),
    terminate: () => {
      socket.dropped = true;
      ws.readyState = 3;
    },
    on() {},
    ping() {},
    close() {},
  };
  const doc = new Y.Doc();
  const channel = { room: { doc, awareness: new Awareness(doc) }, peers: new Set(), leave() {} } as unknown as RoomChannel;
  const log = { warn() {}, info() {}, debug() {} } as unknown as Logger;
  const conn = new Connection(ws as unknown as WebSocket, channel, { tokenId: 't', label: 'test', role: 'viewer', kind: 'human', incidentId: null, expiresAt: null }, log, {
    acks: false,
    presencePerSecond: 10,
    syncRequestsPerMinute: 30,
    metrics: new Metrics(),
  });
  const read = (bytes: number) => void (socket.queued = Math.max(0, socket.queued - bytes));
  /** Stops its keep-alive timer, as the socket's close event would. */
  const close = () => (conn as unknown as { cleanup(): void }).cleanup();
  return { conn, socket, read, close };
}

describe('a socket that reads slowly', () => {
  it('keeps a client reading a large sync reply while updates are broadcast', () => {
    for (const size of [8, 15, 17, 24]) {
      const { conn, socket, read, close } = connection();
      conn.send(new Uint8Array(size * MiB)); // the sync reply
      for (let tick = 0; tick < 40 && !socket.dropped; tick++) {
        read(2 * MiB);
        for (const part of tick === 0 ? [1, 1, 1, 1] : [0.5]) conn.send(new Uint8Array(part * MiB));
      }
      close();
      expect([size, socket.dropped]).toEqual([size, false]);
    }
  });

  it('drops a client that reads nothing, however small what it asks for', () => {
    const { conn, socket, close } = connection();
    let replies = 0;
    for (; replies < 100 && !socket.dropped; replies++) conn.send(new Uint8Array(2 * MiB));
    close();
    expect(socket.dropped).toBe(true);
    expect(socket.queued).toBeLessThanOrEqual(MAX_QUEUED_BYTES + 4 * MiB);
  });
});
