// The MCP tools' corpus for one request to `/mcp`: the server's own paths, as the request's token
// may use them. Pushes are by the token (authorOf), sanitized under the incident's settings
// and written through the same sanitizer and write gate as the HTTP append (appendAs); reads
// answer as the HTTP API does, each input through the API's own query schema and each incident
// through the token's visibility. What changed since the last brief is kept per token and
// incident in hook_sessions, under the session MCP_SESSION (a stateless transport has none).
import {
  BriefQuery,
  type Entry,
  EntryQuery,
  type IncidentSummary,
  RelatedQuery,
  SearchQuery,
  queryValues,
} from '@sitrep/shared';
import { type PreparedEntry, type PushResult, prepareEntry } from '@sitrep/shared/node';
import { type Authenticator, type Principal, authorOf, authorize } from '../auth/Authenticator.js';
import type { McpCorpus, McpDraft } from '../harness/McpCorpus.js';
import type { IncidentMemory } from '../memory/IncidentMemory.js';
import type { BriefOf } from '../room/incidentBrief.js';
import { relatedOf } from '../room/roomRelated.js';
import { parse } from './body.js';
import { type ApiDeps, appendAs } from './incidents.js';
import { incidentView } from './views.js';

/** The hook_sessions session that `/mcp` briefs are kept under, per token and incident. */
export const MCP_SESSION = 'mcp';

export interface McpCorpusDeps extends ApiDeps {
  auth: Authenticator;
  memory: IncidentMemory;
  briefOf: BriefOf;
}

export class TokenCorpus implements McpCorpus {
  readonly author;

  constructor(
    private readonly deps: McpCorpusDeps,
    private readonly principal: Principal,
    readonly incident: string,
  ) {
    this.author = authorOf(principal, 'mcp');
  }

  async prepare(draft: McpDraft): Promise<PreparedEntry> {
    authorize(this.principal, 'responder', this.incident);
    const settings = await this.deps.privacy.settings(this.incident);
    // The author is the token's, whatever the draft holds.
    return prepareEntry({ ...draft, author: this.author }, settings);
  }

  async push(entry: Entry): Promise<PushResult> {
    authorize(this.principal, 'responder', this.incident);
    const [landed] = await appendAs(this.deps, this.principal, this.incident, [entry]);
    return { durable: landed ? [landed.id] : [], queued: [] };
  }

  async brief(maxTokens: number | undefined): Promise<string> {
    const q = parse(BriefQuery, queryValues({ maxTokens }), 'brief');
    const key = { tokenId: this.principal.tokenId, incidentId: this.incident, sessionId: MCP_SESSION };
    const since = (await this.deps.store.hookSessions.find(key))?.briefSeq ?? undefined;
    const { brief, markdown } = await this.deps.briefOf(this.incident, {
      since,
      maxTokens: q.maxTokens,
      reader: this.principal,
    });
    await this.deps.store.hookSessions.saveBrief(key, brief.seq);
    return markdown;
  }

  /** The incident, if this token may read it: not found otherwise, as on the HTTP API. */
  private readable(incidentId: string): Promise<IncidentSummary> {
    return this.deps.auth.readable(this.principal, incidentId);
  }

  readonly reads: McpCorpus['reads'] = {
    listEntries: async (incidentId, q = {}) => {
      await this.readable(incidentId);
      return this.deps.store.listEntries(incidentId, parse(EntryQuery, queryValues(q), 'query'));
    },
    search: async (q) => ({
      results: await this.deps.memory.search(parse(SearchQuery, queryValues(q), 'query'), this.principal),
    }),
    related: async (incidentId, q = {}) => {
      const incident = await this.readable(incidentId);
      return {
        related: await relatedOf(
          this.deps,
          incident,
          parse(RelatedQuery, queryValues(q), 'query'),
          this.principal,
        ),
      };
    },
    view: async (incidentId) => {
      await this.readable(incidentId);
      return incidentView(this.deps.rooms, incidentId);
    },
  };
}
