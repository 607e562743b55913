// The Node SDK: the client plus repair and redaction before anything leaves the machine and an offline
// queue on disk, so a push made while the server is away lands later, exactly once.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { MAX_APPEND_BATCH } from '../api.js';
import type { Entry, EntryDraft } from '../entry.js';
import { redactEntry } from '../sanitizer/redact.js';
import { storableValue } from '../storable.js';
import { type ErrorCode, SitrepError } from '../error.js';
import { OfflineQueue } from './OfflineQueue.js';
import { SitrepClient, type SitrepClientOptions } from './SitrepClient.js';

/**
 * Failures that say nothing about the entries: the server was away or busy, or this client's
 * token or incident is wrong. The entries stay queued for a flush once that is fixed.
 */
const KEEP_QUEUED = new Set<ErrorCode>([
  'remote.error',
  'storage.unavailable',
  'storage.conflict',
  'internal',
  'auth.missing',
  'auth.invalid',
  'auth.forbidden',
  'incident.not_found',
]);

export { OfflineQueue } from './OfflineQueue.js';
export * from './SitrepClient.js';

/**
 * The file, in the server's data directory, that holds the bootstrap admin token (mode 0600):
 * the server writes it on first start, a CLI on the same machine reads it.
 */
export const ADMIN_TOKEN_FILE = 'admin-token';

/** Where clients keep their queue and brief state: $SITREP_STATE_DIR, else ~/.sitrep. */
export function stateDir(env: Record<string, string | undefined> = process.env): string {
  return env.SITREP_STATE_DIR || join(homedir(), '.sitrep');
}

export interface PushResult {
  /** Durable on the server now. */
  durable: string[];
  /** On disk, to be sent by the next flush. */
  queued: string[];
  /** Refused by the server for what they are, and set aside (see `error`). */
  rejected?: string[];
  /** Why the rest is queued, when the server could not be reached. */
  error?: string;
}

export class NodeClient extends SitrepClient {
  readonly queue: OfflineQueue;

  constructor(options: SitrepClientOptions & { stateDir?: string }) {
    super(options);
    this.queue = new OfflineQueue(join(options.stateDir ?? stateDir(), 'queue', options.incident));
  }

  /**
   * Repairs unstorable characters, redacts, validates, queues on disk, then flushes: what did not
   * reach the server stays queued.
   */
  async push(drafts: readonly (Omit<EntryDraft, 'author'> & { author?: EntryDraft['author'] })[]): Promise<PushResult> {
    const entries = [];
    for (const d of drafts) entries.push(this.entry(await redactEntry(storableValue({ author: this.options.author, ...d }))));
    await this.queue.add(entries);
    const flushed = await this.flush();
    const done = new Set(flushed.durable);
    const refused = new Set(flushed.rejected ?? []);
    return {
      ...flushed,
      durable: entries.filter((e) => done.has(e.id)).map((e) => e.id),
      queued: entries.filter((e) => !done.has(e.id) && !refused.has(e.id)).map((e) => e.id),
      rejected: entries.filter((e) => refused.has(e.id)).map((e) => e.id),
    };
  }

  /**
   * Sends every queued entry; each acknowledged one leaves the queue. A batch refused for what
   * is in it is halved until the entries refused are found: only those are set aside.
   */
  async flush(): Promise<PushResult> {
    const pending = await this.queue.pending();
    const durable: string[] = [];
    const rejected: string[] = [];
    let error: string | undefined;
    /** Sends `batch`; false once the server cannot take anything now. */
    const send = async (batch: Entry[]): Promise<boolean> => {
      try {
        const acked = await this.send(batch);
        await this.queue.remove(acked.map((a) => a.id));
        durable.push(...acked.map((a) => a.id));
        return true;
      } catch (err) {
        const message = (err as Error).message;
        if (!(err instanceof SitrepError) || KEEP_QUEUED.has(err.code)) {
          error = message;
          return false;
        }
        if (batch.length > 1) {
          const half = batch.length >> 1;
          return (await send(batch.slice(0, half))) && send(batch.slice(half));
        }
        const [refused] = batch as [Entry];
        await this.queue.reject([refused.id]);
        rejected.push(refused.id);
        error = `${message} (set aside in ${this.queue.dir})`;
        return true;
      }
    };
    for (let i = 0; i < pending.length; i += MAX_APPEND_BATCH) {
      if (!(await send(pending.slice(i, i + MAX_APPEND_BATCH)))) break;
    }
    const done = new Set([...durable, ...rejected]);
    const queued = pending.filter((e) => !done.has(e.id)).map((e) => e.id);
    return { durable, queued, ...(rejected.length > 0 ? { rejected } : {}), ...(error !== undefined ? { error } : {}) };
  }
}
