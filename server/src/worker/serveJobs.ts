// The worker side of WorkerThread: runs each job's handler, posts its head, and hands out its
// body one chunk per pull. Loaded only inside a worker thread.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import {
  type FromWorker,
  type JobHandlers,
  type JobResult,
  type ToWorker,
  toJobError,
} from './jobMessages.js';

/**
 * Lowers this thread's CPU priority where the system allows it (Linux: a thread has its own nice
 * value, and /proc/thread-self names it), so on a busy machine the event loop runs first.
 */
function yieldToEventLoop(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isSafeInteger(tid) && tid > 0) setPriority(tid, 10);
  } catch {
    // Elsewhere the worker keeps the process's priority.
  }
}

export function serveJobs(handlers: JobHandlers): void {
  const port = parentPort;
  if (!port) throw new Error('serveJobs runs only in a worker thread');
  yieldToEventLoop();
  const bodies = new Map<number, Iterator<Uint8Array> | AsyncIterator<Uint8Array>>();
  const post = (msg: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);
  const fail = (id: number, err: unknown) => {
    bodies.delete(id);
    post({ id, error: toJobError(err) });
  };

  port.on('message', (msg: ToWorker) => {
    if ('kind' in msg) {
      const handler = handlers[msg.kind] as ((input: unknown) => Promise<JobResult<unknown>>) | undefined;
      if (!handler) return fail(msg.id, new Error(`no job ${msg.kind}`));
      handler(msg.input).then(
        ({ head, transfer, body }) => {
          if (body) bodies.set(msg.id, body);
          post({ id: msg.id, head, body: body !== undefined }, transfer);
        },
        (err: unknown) => fail(msg.id, err),
      );
    } else if ('pull' in msg) {
      const body = bodies.get(msg.id);
      // The caller pulls a body's next chunk only once it has the last one: no two at once.
      new Promise<IteratorResult<Uint8Array> | undefined>((resolve) => resolve(body?.next())).then(
        (next) => {
          if (!next || next.done) {
            bodies.delete(msg.id);
            return post({ id: msg.id, chunk: null });
          }
          // Transferred, so it must own its whole buffer.
          const chunk =
            next.value.byteOffset === 0 && next.value.byteLength === next.value.buffer.byteLength
              ? next.value
              : next.value.slice();
          post({ id: msg.id, chunk }, [chunk.buffer as ArrayBuffer]);
        },
        (err: unknown) => fail(msg.id, err),
      );
    } else {
      void Promise.resolve(bodies.get(msg.id)?.return?.()).catch(() => {});
      bodies.delete(msg.id);
    }
  });
}
