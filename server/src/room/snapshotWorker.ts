// The snapshot worker's body (started by snapshots.ts through snapshotWorker.mjs): rebuilds a
// document from a packed snapshot and the updates after it and returns its merged state, so the
// server's event loop never encodes a large document.
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';
import { unpackSnapshot } from '../store/snapshotCodec.js';
import type { SnapshotJob, SnapshotReply } from './snapshots.js';

const port = parentPort;
if (!port) throw new Error('snapshotWorker runs only as a worker thread');

port.on('message', (job: SnapshotJob) => {
  void build(job).then(
    (state) => port.postMessage({ id: job.id, state } satisfies SnapshotReply, [state.buffer as ArrayBuffer]),
    (err: unknown) => port.postMessage({ id: job.id, error: String(err) } satisfies SnapshotReply),
  );
});

async function build(job: SnapshotJob): Promise<Uint8Array> {
  const doc = new Y.Doc();
  try {
    const base = await unpackSnapshot(job.base);
    doc.transact(() => {
      Y.applyUpdate(doc, base);
      for (const update of job.tail) Y.applyUpdate(doc, update);
    });
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
