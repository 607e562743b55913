// What the event loop and a worker thread (WorkerThread, serveJobs) say to each other: a job,
// a pull of its body's next chunk or its cancel one way; a head, a chunk or an error the other. The
// worker side loads this and nothing of shared but its error type, so a worker whose jobs need no
// schema (room/snapshotWorker.ts) starts without them.
import { ERROR_CODES, type ErrorCode, type ErrorDetails, SitrepError } from '@sitrep/shared/error';

/**
 * What a job's handler in the worker returns: its head, what of it to transfer, and its body
 * (an async body may await between chunks, as a scan does).
 */
export interface JobResult<H> {
  head: H;
  transfer?: ArrayBuffer[];
  body?: Iterator<Uint8Array> | AsyncIterator<Uint8Array>;
}

/** A worker's jobs by kind: each takes one structured-clonable input. */
export type JobHandlers = Record<string, (input: never) => Promise<JobResult<unknown>>>;

export type JobError = { code: string | null; message: string; details?: ErrorDetails };

export type ToWorker =
  | { id: number; kind: string; input: unknown }
  | { id: number; pull: true }
  | { id: number; cancel: true };
export type FromWorker =
  | { id: number; head: unknown; body: boolean }
  | { id: number; chunk: Uint8Array | null }
  | { id: number; error: JobError };

/** A SitrepError keeps its code across the thread; anything else becomes an internal error. */
export function toJobError(err: unknown): JobError {
  if (err instanceof SitrepError)
    return {
      code: err.code,
      message: err.message,
      ...(err.details !== undefined && { details: err.details }),
    };
  return { code: null, message: err instanceof Error ? err.message : String(err) };
}

/** An error from the worker, on the caller's side: a SitrepError again when its code is one. */
export function fromJobError(e: JobError, thread: string): Error {
  if (e.code !== null && (ERROR_CODES as readonly string[]).includes(e.code))
    return new SitrepError(e.code as ErrorCode, e.message, e.details);
  return new Error(`${thread} worker: ${e.message}`);
}
