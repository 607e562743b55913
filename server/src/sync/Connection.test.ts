import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { Metrics } from '../metrics.js';
import { Connection, MAX_QUEUED_BYTES, type Socket } from './Connection.js';
import type { RoomChannel } from './RoomChannel.js';

const MiB = 1024 * 1024;

/** A socket that queues what it is sent until `read` takes it, and closes when told to. */
class FakeSocket implements Socket {
  readyState = 1;
  bufferedAmount = 0;
  dropped = false;
  private readonly onClose: ((...args: never[]) => void)[] = [];

  send(frame: Uint8Array): void {
    this.bufferedAmount += frame.byteLength;
  }

  read(bytes: number): void {
    this.bufferedAmount = Math.max(0, this.bufferedAmount - bytes);
  }

  terminate(): void {
    this.dropped = true;
    this.close();
  }

  close(): void {
    this.readyState = 3;
    for (const listener of this.onClose.splice(0)) listener();
  }

  ping(): void {}

  on(event: string, listener: (...args: never[]) => void): this {
    if (event === 'close') this.onClose.push(listener);
    return this;
  }
}

/** A connection over a FakeSocket; closing the socket stops the connection's timers. */
function connection() {
  const socket = new FakeSocket();
  const doc = new Y.Doc();
  const channel = {
    room: { doc, awareness: new Awareness(doc) },
    peers: new Set(),
    leave() {},
  } as unknown as RoomChannel;
  const principal = {
    tokenId: 't',
    label: 'test',
    name: null,
    role: 'viewer',
    kind: 'human',
    incidentId: null,
    isolated: false,
    expiresAt: null,
  } as const;
  const conn = new Connection(socket, channel, principal, pino({ level: 'silent' }), {
    acks: false,
    presencePerSecond: 10,
    syncRequestsPerMinute: 30,
    metrics: new Metrics(),
  });
  return { conn, socket, close: () => socket.close() };
}

describe('a socket that reads slowly', () => {
  it('keeps a client reading a large sync reply while updates are broadcast', () => {
    for (const size of [8, 15, 17, 24]) {
      const { conn, socket, close } = connection();
      conn.send(new Uint8Array(size * MiB)); // the sync reply
      for (let tick = 0; tick < 40 && !socket.dropped; tick++) {
        socket.read(2 * MiB);
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
    expect(socket.bufferedAmount).toBeLessThanOrEqual(MAX_QUEUED_BYTES + 4 * MiB);
  });
});
