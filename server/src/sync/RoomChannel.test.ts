// The fan-out of a room's updates, against a room on an update log in memory: what each peer is
// sent, and from where. No sockets: a peer is what the channel sends frames to.
import { type Entry, encodeSyncUpdate, entriesMap, newEntryId } from '@sitrep/shared';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MemoryLog } from '../../../test/support/memoryLog.js';
import { createLogger } from '../log.js';
import { Metrics } from '../metrics.js';
import { IncidentRoom } from '../room/IncidentRoom.js';
import { type Peer, RoomChannel } from './RoomChannel.js';

const ID = 'inc-channel-test';

const entry = (body: string): Entry => ({
  v: 1,
  id: newEntryId(),
  kind: 'finding',
  body,
  author: { id: 'ana', name: 'Ana', kind: 'human' },
  at: new Date().toISOString(),
});

const open = (log: MemoryLog) => IncidentRoom.load(ID, log, createLogger('silent'), new Metrics(), 1_000);

/** A peer that keeps the frames it is sent. */
const peer = (): Peer & { frames: Uint8Array[] } => {
  const frames: Uint8Array[] = [];
  return { frames, send: (frame) => void frames.push(frame) };
};

/** A client's update adding `e`, from a client synced to the room, as a socket sends it. */
function clientUpdate(room: IncidentRoom, e: Entry): Uint8Array {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(room.doc));
  const before = Y.encodeStateVector(client);
  entriesMap(client).set(e.id, e);
  return Y.encodeStateAsUpdate(client, before);
}

describe('room channel', () => {
  it('sends each committed update to every peer but its writer, as the log holds it', async () => {
    const log = new MemoryLog().create(ID);
    const room = await open(log);
    // The meta set twice: the first status is deleted content the document holds.
    const meta = { title: 't', severity: 'SEV2', status: 'investigating', kind: 'incident' } as const;
    await room.updateMeta({ ...meta, createdAt: new Date().toISOString() }, 'server', null);
    await room.updateMeta({ status: 'identified' }, 'server', null);
    const deleted = Y.encodeStateAsUpdate(room.doc, Y.encodeStateVector(room.doc)); // no structs, every delete
    expect(Y.decodeUpdate(deleted).ds.clients.size).toBeGreaterThan(0);
    const channel = new RoomChannel(room, new Metrics());
    const [writer, reader] = [peer(), peer()];
    channel.peers.add(writer).add(reader);
    // A new entry that also names deletes the document holds already. Yjs's own encoding of the
    // transaction would leave those out: the frame shows which bytes were relayed.
    const update = Y.mergeUpdates([clientUpdate(room, entry('one')), deleted]);
    const seq = await room.submit(update, 'responder', writer, 'tok-a');
    const row = log.rows(ID).find((r) => r.seq === seq);
    expect(row?.bytes).toEqual(update);
    expect(reader.frames).toEqual([encodeSyncUpdate(update)]);
    expect(writer.frames).toEqual([]);
    channel.detach();
  });

  it("sends another node's rows to every peer, and nothing once detached", async () => {
    const log = new MemoryLog().create(ID);
    const [here, there] = [await open(log), await open(log)];
    const channel = new RoomChannel(here, new Metrics());
    const [a, b] = [peer(), peer()];
    channel.peers.add(a).add(b);
    await there.appendEntries([entry('from the other node')], 'responder');
    await here.catchUp();
    const [row] = log.rows(ID);
    expect(a.frames).toEqual([encodeSyncUpdate(row?.bytes ?? new Uint8Array())]);
    expect(b.frames).toEqual(a.frames);
    channel.detach();
    await there.appendEntries([entry('after')], 'responder');
    await here.catchUp();
    expect(a.frames).toHaveLength(1);
  });
});
