// What the MCP tools (mcp.ts) read and write through, wherever they are served: `sitrep mcp` on a
// responder's machine goes through the HTTP API and its offline queue (ClientCorpus.ts); `/mcp`
// on the server goes through the server's own paths for the request's token (http/mcpCorpus.ts).
// The reads answer as the HTTP API does, so the tools render both alike.
import type { ApiClient, Author, Entry, EntryDraft } from '@sitrep/shared';
import type { PreparedEntry, PushResult } from '@sitrep/shared/node';

/** A push tool's entry before it has an author: the corpus says who writes. */
export type McpDraft = Omit<EntryDraft, 'author'>;

export interface McpCorpus {
  /** The incident the tools push to and brief on. */
  readonly incident: string;
  /** Whom the pushes are by. */
  readonly author: Author;
  /** The entry as it would be sent (sanitized, valid, id fixed) with the blame found in it. */
  prepare(draft: McpDraft): Promise<PreparedEntry>;
  /** Sends a prepared entry: durable, queued (a client's queue) or refused. */
  push(entry: Entry): Promise<PushResult>;
  /** The brief in Markdown: what is new since this author's last brief, which it then moves on. */
  brief(maxTokens: number | undefined): Promise<string>;
  readonly reads: Pick<ApiClient, 'listEntries' | 'search' | 'related' | 'view'>;
}
