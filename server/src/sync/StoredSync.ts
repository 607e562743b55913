// The first answer to a socket that arrives while its incident's room loads: the stored state the
// room is being built from (RoomPreload), sent as it was read, with no document built or encoded
// for it. What the socket sends meanwhile is held until its Connection takes over, which does not
// answer the client's first sync step 1: the stored state was the answer.
import { SYNC_STEP2, SYNC_UPDATE, syncFrameHeader } from '@sitrep/shared';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import type { LogSlice } from '../room/documentAt.js';

/** An update that changes nothing: the step 2 that ends a stored state with no rows after its snapshot. */
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());

/**
 * Sends the stored state to `ws` as y-websocket frames: the snapshot as an update (its bytes as
 * read, the frame's header sent before them), then the rows after it merged into the sync step 2
 * that tells a stock client it is synced. Resolves once all of it is written to the socket.
 */
export function sendStoredState(ws: WebSocket, slice: LogSlice): Promise<void> {
  return new Promise((resolve) => {
    const done = (err?: Error) => {
      if (err) ws.terminate();
      resolve();
    };
    const { snapshot, rows } = slice;
    if (snapshot) {
      ws.send(syncFrameHeader(SYNC_UPDATE, snapshot.bytes.byteLength), { binary: true, fin: false });
      ws.send(snapshot.bytes, { binary: true, fin: true });
    }
    const after = rows.length > 0 ? Y.mergeUpdates(rows.map((r) => r.bytes)) : EMPTY_UPDATE;
    ws.send(syncFrameHeader(SYNC_STEP2, after.byteLength), { binary: true, fin: false });
    ws.send(after, { binary: true, fin: true }, done);
  });
}

type Frame = [data: WebSocket.RawData, isBinary: boolean];

/** Holds the frames `ws` sends until `release`, which hands them to the listeners added since (the Connection's), in order. */
export function holdFrames(ws: WebSocket): { release(): void } {
  const held: Frame[] = [];
  const hold = (data: WebSocket.RawData, isBinary: boolean) => held.push([data, isBinary]);
  ws.on('message', hold);
  return {
    release() {
      ws.off('message', hold);
      for (const frame of held) ws.emit('message', ...frame);
    },
  };
}
