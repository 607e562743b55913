// The client SDK, for Node and the browser: entries are validated and given their ids here, so a
// retry can never duplicate one, and a push resolves only once the server says they are durable.
// Reading the live document is the stock y-websocket provider's job (see the dashboard).
import { type AppendEntriesResponse, MAX_APPEND_BATCH } from '../api.js';
import { ApiClient } from '../apiClient.js';
import type { Author, Entry, EntryDraft } from '../entry.js';
import { validEntry } from './outgoing.js';

export interface SitrepClientOptions {
  url: string;
  token: string;
  incident: string;
  author: Author;
  timeoutMs?: number;
}

export class SitrepClient {
  readonly api: ApiClient;

  constructor(readonly options: SitrepClientOptions) {
    this.api = new ApiClient(options.url, { token: options.token, timeoutMs: options.timeoutMs ?? 10_000 });
  }

  /** A complete, valid entry from a draft (author filled in): its id is fixed from here on. */
  entry(draft: Omit<EntryDraft, 'author'> & { author?: Author }): Entry {
    return validEntry({ author: this.options.author, ...draft });
  }

  /** Sends entries; resolves once all are durable (or were already there: `created: false`). */
  async send(entries: readonly Entry[]): Promise<AppendEntriesResponse['entries']> {
    const out: AppendEntriesResponse['entries'] = [];
    for (let i = 0; i < entries.length; i += MAX_APPEND_BATCH) {
      const res = await this.api.appendEntries(this.options.incident, {
        entries: entries.slice(i, i + MAX_APPEND_BATCH),
      });
      out.push(...res.entries);
    }
    return out;
  }
}
