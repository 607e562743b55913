// Builds snapshots off the event loop. A room hands over its last snapshot (packed, as stored)
// and the updates it applied since; one worker thread per process rebuilds the document from
// them and returns the merged state, which equals encoding the room's own document. Encoding a
// 100k-entry document takes about a second, which the event loop must not spend.
import { Worker } from 'node:worker_threads';

export interface SnapshotJob {
  id: number;
  base: Uint8Array[];
  tail: Uint8Array[];
}

export type SnapshotReply = { id: number; state: Uint8Array } | { id: number; error: string };

interface Waiting {
  resolve(state: Uint8Array): void;
  reject(err: Error): void;
}

let worker: Worker | null = null;
const waiting = new Map<number, Waiting>();
let nextId = 1;

function failAll(err: Error): void {
  worker = null;
  for (const w of waiting.values()) w.reject(err);
  waiting.clear();
}

function started(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./snapshotWorker.mjs', import.meta.url));
  w.on('message', (reply: SnapshotReply) => {
    const job = waiting.get(reply.id);
    waiting.delete(reply.id);
    if ('error' in reply) job?.reject(new Error(`snapshot worker: ${reply.error}`));
    else job?.resolve(reply.state);
  });
  // Only while it is still the current worker: a later one may already serve other rooms.
  w.on('error', (err) => worker === w && failAll(err));
  w.on('exit', (code) => worker === w && failAll(new Error(`snapshot worker exited with code ${code}`)));
  w.unref(); // snapshots are a cache: one in flight never holds the process up
  worker = w;
  return w;
}

/** The merged state of `base` (packed snapshot parts) with `tail` applied, built in the worker. */
export function snapshotState(base: Uint8Array[], tail: Uint8Array[]): Promise<Uint8Array> {
  const w = started();
  const id = nextId++;
  return new Promise<Uint8Array>((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    w.postMessage({ id, base, tail } satisfies SnapshotJob);
  });
}
