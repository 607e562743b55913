// A worker thread that runs jobs the event loop must not: rebuilding and encoding a document,
// rendering and scanning an export, checking an import. The caller posts a job and gets its
// head (a small answer) back; a job may also have a body, a stream of bytes the caller pulls one
// chunk at a time, so the worker never runs ahead of a slow reader. One thread runs one job's
// step at a time; a thread that dies fails its jobs, and the next job starts a new one.
import { Worker } from 'node:worker_threads';
import { bundled } from '../packageFiles.js';
import {
  type FromWorker,
  type JobHandlers,
  type JobResult,
  type ToWorker,
  fromJobError,
} from './jobMessages.js';

type Input<F> = F extends (input: infer I) => unknown ? I : never;
type Head<F> = F extends (input: never) => Promise<JobResult<infer H>> ? H : never;

export class WorkerThread<H extends JobHandlers> {
  private worker: Worker | null = null;
  /** Each job or pull waiting for its answer, by job id. */
  private readonly waiting = new Map<number, { resolve(msg: FromWorker): void; reject(err: Error): void }>();
  private nextId = 1;

  /** `module` is the worker body's source (`.ts`) URL; `name` says which thread an error came from. */
  constructor(
    private readonly module: URL,
    private readonly name: string,
  ) {}

  /** Jobs and pulls waiting for the worker. */
  get queued(): number {
    return this.waiting.size;
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    // From source the body is TypeScript, which start.mjs loads through tsx. The bundle makes each
    // body a JavaScript entry of the same name in dist/, beside the code that names it (so there
    // `module` says dist/<body>.ts): run as it is.
    const w = bundled
      ? new Worker(new URL(this.module.href.replace(/\.ts$/, '.js')))
      : new Worker(new URL('./start.mjs', import.meta.url), { workerData: { module: this.module.href } });
    w.on('message', (msg: FromWorker) => {
      const job = this.waiting.get(msg.id);
      this.waiting.delete(msg.id);
      if (!job) return;
      if ('error' in msg) job.reject(fromJobError(msg.error, this.name));
      else job.resolve(msg);
    });
    // Only while it is still the current worker: a later one may already serve other jobs.
    w.on('error', (err) => this.worker === w && this.failAll(err));
    w.on(
      'exit',
      (code) => this.worker === w && this.failAll(new Error(`${this.name} worker exited with code ${code}`)),
    );
    w.unref(); // a job in flight holds its caller, never the process
    this.worker = w;
    return w;
  }

  private failAll(err: Error): void {
    this.worker = null;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }

  private ask(msg: ToWorker, transfer: readonly ArrayBuffer[] = []): Promise<FromWorker> {
    const w = this.started();
    return new Promise<FromWorker>((resolve, reject) => {
      this.waiting.set(msg.id, { resolve, reject });
      w.postMessage(msg, [...transfer]);
    });
  }

  /**
   * Runs a job: resolves with its head and its body (null when it has none) or rejects with its
   * error. A body must be read to its end or cancelled, or the worker keeps what it holds.
   */
  async run<K extends keyof H & string>(
    kind: K,
    input: Input<H[K]>,
    transfer: readonly ArrayBuffer[] = [],
  ): Promise<{ head: Head<H[K]>; body: ReadableStream<Uint8Array> | null }> {
    const id = this.nextId++;
    const reply = await this.ask({ id, kind, input }, transfer);
    if (!('head' in reply)) throw new Error(`${this.name} worker: no head for job ${id}`);
    return { head: reply.head as Head<H[K]>, body: reply.body ? this.body(id) : null };
  }

  private body(id: number): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          const reply = await this.ask({ id, pull: true });
          const chunk = 'chunk' in reply ? reply.chunk : null;
          if (chunk) controller.enqueue(chunk);
          else controller.close();
        },
        cancel: () => {
          this.worker?.postMessage({ id, cancel: true } satisfies ToWorker);
        },
      },
      { highWaterMark: 0 }, // pull only when the reader wants more
    );
  }
}
