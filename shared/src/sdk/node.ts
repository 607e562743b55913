// The Node SDK: the client plus repair and sanitizing before anything leaves the machine and an
// offline queue on disk, so a push made while the server is away lands later, exactly once.
// An entry is sanitized under the incident's settings when it is pushed; one pushed while the
// server cannot say them has its secrets redacted then, and the rest done when it is flushed.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { MAX_APPEND_BATCH } from '../api.js';
import type { Entry, EntryDraft } from '../entry.js';
import type { SensitiveFinding } from '../sanitizer/sanitize.js';
import { type ErrorCode, SitrepError } from '../error.js';
import { OfflineQueue } from './OfflineQueue.js';
import {
  type PreparedEntry,
  SECRETS_ONLY,
  type SanitizeUnder,
  policyRefusal,
  prepareEntry,
  sanitizeDraft,
  sanitizerSettings,
} from './outgoing.js';
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

/**
 * How old a read of the settings a flush may use. Entries were sanitized when they were pushed;
 * the flush only finishes those queued while the settings could not be read, and the server
 * sanitizes under the current ones again, so a withdrawal in between loses nothing.
 */
const FLUSH_SETTINGS_MAX_AGE_MS = 2_000;

export { OfflineQueue } from './OfflineQueue.js';
export * from './outgoing.js';
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

type PushDraft = Omit<EntryDraft, 'author'> & { author?: EntryDraft['author'] };

export class NodeClient extends SitrepClient {
  readonly queue: OfflineQueue;

  constructor(options: SitrepClientOptions & { stateDir?: string }) {
    super(options);
    this.queue = new OfflineQueue(join(options.stateDir ?? stateDir(), 'queue', options.incident));
  }

  /**
   * The incident's sanitizer settings, or why the server cannot say them now: read for each
   * push (`maxAgeMs` 0); a flush takes a read at most FLUSH_SETTINGS_MAX_AGE_MS old, so a push's
   * own flush does not ask again.
   */
  private settings(maxAgeMs = 0): Promise<SanitizeUnder | Error> {
    return sanitizerSettings(this.api, this.options.incident, maxAgeMs).catch((err: Error) => err);
  }

  /**
   * Repairs unstorable characters, sanitizes under the incident's settings and validates: the
   * entries as they would be sent (ids fixed), with the blame found in each. Throws
   * `gate.private`, naming the types, when the policy refuses what one holds.
   */
  async prepare(drafts: readonly PushDraft[]): Promise<PreparedEntry[]> {
    const settings = await this.settings();
    const out: PreparedEntry[] = [];
    // Without the settings, secrets only: the rest is done under the incident's key at the flush.
    for (const d of drafts)
      out.push(
        await prepareEntry(
          { author: this.options.author, ...d },
          settings instanceof Error ? SECRETS_ONLY : settings,
        ),
      );
    return out;
  }

  /**
   * Prepares (see `prepare`), queues on disk, then flushes: what did not reach the server stays
   * queued. Blame is not held back here: callers that show it first use `prepare` and `enqueue`.
   */
  async push(drafts: readonly PushDraft[]): Promise<PushResult> {
    return this.enqueue((await this.prepare(drafts)).map((p) => p.entry));
  }

  /** Queues prepared entries on disk, then flushes. */
  async enqueue(entries: readonly Entry[]): Promise<PushResult> {
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
   * A queued batch as it may leave: entries queued while the settings were unknown are
   * sanitized now (one scan finds whether any needs it); those the policy refuses are split off.
   */
  private async outgoing(
    batch: Entry[],
    settings: SanitizeUnder,
  ): Promise<{ send: Entry[]; refused: Entry[]; findings: SensitiveFinding[] }> {
    const { firstRefusal } = await import('../sanitizer/sanitize.js'); // as sanitizeDraft loads it
    if (!(await firstRefusal(batch, { policy: settings.policy })))
      return { send: batch, refused: [], findings: [] };
    const send: Entry[] = [];
    const refused: Entry[] = [];
    const findings: SensitiveFinding[] = [];
    for (const e of batch) {
      const sanitized = await sanitizeDraft(e, settings);
      if (sanitized.refused.length === 0) {
        send.push(sanitized.draft);
      } else {
        refused.push(e);
        findings.push(...sanitized.refused);
      }
    }
    return { send, refused, findings };
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
    if (pending.length === 0) return { durable, queued: [] };
    const settings = await this.settings(FLUSH_SETTINGS_MAX_AGE_MS);
    // Nothing leaves before it can be sanitized under the incident's key.
    if (settings instanceof Error)
      return { durable, queued: pending.map((e) => e.id), error: settings.message };
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
      const batch = await this.outgoing(pending.slice(i, i + MAX_APPEND_BATCH), settings);
      if (batch.refused.length > 0) {
        await this.queue.reject(batch.refused.map((e) => e.id));
        rejected.push(...batch.refused.map((e) => e.id));
        error = `${policyRefusal(batch.findings).message} (set aside in ${this.queue.dir})`;
      }
      if (batch.send.length > 0 && !(await send(batch.send))) break;
    }
    const done = new Set([...durable, ...rejected]);
    const queued = pending.filter((e) => !done.has(e.id)).map((e) => e.id);
    return {
      durable,
      queued,
      ...(rejected.length > 0 ? { rejected } : {}),
      ...(error !== undefined ? { error } : {}),
    };
  }
}
