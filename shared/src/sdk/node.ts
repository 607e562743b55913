// The Node SDK: the client plus repair and redaction before anything leaves the machine and an offline
// queue on disk, so a push made while the server is away lands later, exactly once.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { EntryDraft } from '../entry.js';
import { redactEntry } from '../secrets/redact.js';
import { storableValue } from '../storable.js';
import { type ErrorCode, SitrepError } from '../error.js';
import { OfflineQueue } from './OfflineQueue.js';
import { APPEND_BATCH, SitrepClient, type SitrepClientOptions } from './SitrepClient.js';

/** Failures that say nothing about the entries: the server was away or busy. */
const TRANSIENT = new Set<ErrorCode>(['remote.error', 'storage.unavailable', 'storage.conflict', 'internal']);

export { OfflineQueue } from './OfflineQueue.js';
export * from './SitrepClient.js';

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

  /** Sends every queued entry; each acknowledged one leaves the queue. */
  async flush(): Promise<PushResult> {
    const pending = await this.queue.pending();
    const durable: string[] = [];
    for (let i = 0; i < pending.length; i += APPEND_BATCH) {
      const batch = pending.slice(i, i + APPEND_BATCH);
      try {
        const acked = await this.send(batch);
        await this.queue.remove(acked.map((a) => a.id));
        durable.push(...acked.map((a) => a.id));
      } catch (err) {
        // Unreachable or unavailable: keep everything for the next flush. Refused for what the
        // entries are: set this batch aside (it would block the queue forever) and say so.
        const transient = !(err instanceof SitrepError) || TRANSIENT.has(err.code);
        if (!transient) await this.queue.reject(batch.map((e) => e.id));
        const queued = pending.slice(transient ? i : i + APPEND_BATCH).map((e) => e.id);
        const rejected = transient ? [] : batch.map((e) => e.id);
        return { durable, queued, rejected, error: `${(err as Error).message}${transient ? '' : ` (${batch.length} entries set aside in ${this.queue.dir})`}` };
      }
    }
    return { durable, queued: [] };
  }
}
