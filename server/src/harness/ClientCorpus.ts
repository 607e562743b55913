// The MCP tools' corpus for `sitrep mcp` on a responder's machine: the Node SDK (sanitized
// before anything leaves, queued on disk, sent at once) and the HTTP API with the client's
// token; what changed since the last brief is kept in the state dir per author.
import type { Entry } from '@sitrep/shared';
import type { NodeClient, PreparedEntry, PushResult } from '@sitrep/shared/node';
import { lastBrief, saveBrief } from './briefState.js';
import type { McpCorpus, McpDraft } from './McpCorpus.js';

export class ClientCorpus implements McpCorpus {
  constructor(
    private readonly client: NodeClient,
    private readonly stateDir: string,
  ) {}

  get incident(): string {
    return this.client.options.incident;
  }

  get author() {
    return this.client.options.author;
  }

  get reads() {
    return this.client.api;
  }

  async prepare(draft: McpDraft): Promise<PreparedEntry> {
    const [prepared] = await this.client.prepare([draft]);
    if (!prepared) throw new Error('nothing to push');
    return prepared;
  }

  push(entry: Entry): Promise<PushResult> {
    return this.client.enqueue([entry]);
  }

  async brief(maxTokens: number | undefined): Promise<string> {
    const since = await lastBrief(this.stateDir, this.incident, this.author.id);
    const { brief, markdown } = await this.client.api.brief(this.incident, { since, maxTokens });
    await saveBrief(this.stateDir, this.incident, this.author.id, brief);
    return markdown;
  }
}
