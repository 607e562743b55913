// Builds snapshots off the event loop. A room past WORKER_FROM_BYTES (SnapshotCache.ts) hands
// over its last snapshot (packed, as stored) and the updates it applied since; one worker thread
// per process rebuilds the document from them and returns the merged state, which equals encoding
// the room's own document. Encoding a 100k-entry document takes about a second, which the event
// loop must not spend; below that size the room encodes its own document, which costs less.
import { WorkerThread } from '../worker/WorkerThread.js';
import type { snapshotJobs } from './snapshotWorker.js';

const thread = new WorkerThread<typeof snapshotJobs>(
  new URL('./snapshotWorker.ts', import.meta.url),
  'snapshot',
);

/** The merged state of `base` (packed snapshot parts) with `tail` applied, built in the worker. */
export async function snapshotState(base: Uint8Array[], tail: Uint8Array[]): Promise<Uint8Array> {
  return (await thread.run('snapshot', { base, tail })).head;
}
