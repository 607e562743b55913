// The first answer to a socket that arrives while its incident's room loads: the stored state the
// room is being built from (RoomPreload), sent as it was read, with no document built or encoded
// for it, after the server's own sync step 1 (the stored state's state vector), so the client's
// reply to that comes before anything it writes once synced, as on a loaded room. What the socket
// sends meanwhile is held until its Connection takes over, which neither sends a step 1 again nor
// answers the client's first one: the stored state was the answer.
import { SYNC_STEP2, SYNC_UPDATE, encodeSyncStep1, syncFrameHeader } from '@sitrep/shared';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import type { LogSlice } from '../room/documentAt.js';

/** An update that changes nothing: the step 2 that ends a stored state with no rows after its snapshot. */
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());

/** The state vector of the snapshot and the rows after it (which continue it), read from their updates. */
function storedClocks({ snapshot, rows }: LogSlice): Map<number, number> {
  const clocks = new Map<number, number>();
  for (const bytes of [...(snapshot ? [snapshot.bytes] : []), ...rows.map((r) => r.bytes)])
    for (const [client, clock] of Y.parseUpdateMeta(bytes).to)
      if (clock > (clocks.get(client) ?? 0)) clocks.set(client, clock);
  return clocks;
}

/**
 * Sends the stored state to `ws` as y-websocket frames: the server's sync step 1, the snapshot as
 * an update (its bytes as read, the frame's header sent before them), then the rows after it
 * merged into the sync step 2 that tells a stock client it is synced. Resolves once all of it is
 * written to the socket.
 */
export function sendStoredState(ws: WebSocket, slice: LogSlice): Promise<void> {
  return new Promise((resolve) => {
    const done = (err?: Error) => {
      if (err) ws.terminate();
      resolve();
    };
    const { snapshot, rows } = slice;
    ws.send(encodeSyncStep1(storedClocks(slice)), { binary: true });
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
