// The sitrep MCP server: its tools and resource, the same wherever it is served (`sitrep mcp`
// over stdio on a responder's machine, `/mcp` over Streamable HTTP on the server), over a
// corpus that says how each reads and writes (McpCorpus.ts). Tools push findings, theories,
// rejections, reopenings, decisions, gaps, datasets and notes (sanitized; the answer says
// whether each landed or waits in a queue), answer a drill's questions, read the brief, search entries, search across
// incidents and find related past incidents, and list theories; a resource holds the
// incident's commander view.
// Tool inputs are built from the entry schema's own fields, so the SDK refuses bad input before
// anything is written. A push whose text blames a person is refused with the sentences, so the
// agent can reword it, or send it as written with `as_is: true`: that resend keeps the entry id
// the refusal gave (HeldPushes.ts), so a retry never makes a second entry.
import {
  ENTRY_KINDS,
  EntryId,
  IncidentId,
  type IncidentViewResponse,
  MAX_QUERY_BYTES,
  QUESTIONS,
  answerDraft,
  cut,
  entryShape,
  findQuestion,
} from '@sitrep/shared';
import { type NodeClient, describeBlame, describeCounts } from '@sitrep/shared/node';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { ClientCorpus } from './ClientCorpus.js';
import { HeldPushes } from './HeldPushes.js';
import type { McpCorpus, McpDraft } from './McpCorpus.js';
import { relatedText, searchText } from './memoryText.js';
import { packageVersion } from '../packageFiles.js';

const f = entryShape;
const text = (value: unknown) => ({
  content: [
    { type: 'text' as const, text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) },
  ],
});
const failure = (err: unknown) => ({
  ...text(`sitrep refused: ${err instanceof Error ? err.message : String(err)}`),
  isError: true,
});

type Draft = McpDraft;

/** The push tools: name, what it records, its input fields, and how they make an entry. */
const PUSH_TOOLS: {
  name: string;
  description: string;
  input: z.ZodRawShape;
  draft(a: Record<string, unknown>): Draft;
}[] = [
  {
    name: 'push_finding',
    description:
      'Record something you observed, with evidence. refs: the theories it supports. Tag "confirms" to confirm a theory.',
    input: {
      body: f.body.min(1),
      title: f.title,
      refs: f.refs,
      evidence: f.evidence,
      confidence: f.confidence,
      tags: f.tags,
    },
    draft: (a) => ({ kind: 'finding', ...a }) as Draft,
  },
  {
    name: 'push_theory',
    description: 'Propose an explanation for the incident, as a one-line title and the reasoning.',
    input: { title: f.title.unwrap(), body: f.body, confidence: f.confidence, refs: f.refs },
    draft: (a) => ({ kind: 'theory', ...a }) as Draft,
  },
  {
    name: 'reject_theory',
    description: 'Reject a theory, saying why, so nobody re-investigates it.',
    input: { theory: f.id, rationale: f.rationale.unwrap(), body: f.body.optional() },
    draft: ({ theory, rationale, body }) => ({
      kind: 'rejection',
      refs: [theory as string],
      rationale: rationale as string,
      body: (body as string | undefined) ?? (rationale as string),
    }),
  },
  {
    name: 'reopen_theory',
    description: 'Reopen a rejected theory (give the rejection or the theory id) with the new evidence.',
    input: { ref: f.id, rationale: f.rationale.unwrap(), body: f.body.optional() },
    draft: ({ ref, rationale, body }) => ({
      kind: 'reopen',
      refs: [ref as string],
      rationale: rationale as string,
      body: (body as string | undefined) ?? (rationale as string),
    }),
  },
  {
    name: 'record_decision',
    description: 'Record a decision and its rationale; refs: the theories and findings it rests on.',
    input: { title: f.title.unwrap(), body: f.body, rationale: f.rationale.unwrap(), refs: f.refs },
    draft: (a) => ({ kind: 'decision', ...a }) as Draft,
  },
  {
    name: 'record_gap',
    description: 'Record something nobody knows yet that matters (an open question).',
    input: { title: f.title.unwrap(), body: f.body.optional() },
    draft: (a) => ({ kind: 'gap', body: '', ...a }) as Draft,
  },
  {
    name: 'record_dataset',
    description: 'Record a dataset (a query, dashboard or export) others can use; refs: the gaps it answers.',
    input: { title: f.title.unwrap(), body: f.body, evidence: f.evidence, refs: f.refs },
    draft: (a) => ({ kind: 'dataset', ...a }) as Draft,
  },
  {
    name: 'add_note',
    description: 'Add a note that is none of the above.',
    input: { body: f.body.min(1), title: f.title, tags: f.tags },
    draft: (a) => ({ kind: 'note', ...a }) as Draft,
  },
];

const AS_IS = z
  .boolean()
  .optional()
  .describe(
    'Send the entry as written even though it reads as blaming a person (after a refusal that quoted the sentences).',
  );

/** The MCP server over `corpus`; `held` outlives it where the server is made per request (/mcp). */
export function buildMcpServer(corpus: McpCorpus, held = new HeldPushes()): McpServer {
  const { incident, reads } = corpus;
  const server = new McpServer(
    { name: 'sitrep', version: packageVersion() },
    {
      instructions:
        `sitrep holds the shared corpus of incident ${incident}. Read the brief first; push ` +
        `findings, theories, rejections (with rationale) and decisions as you learn them.`,
    },
  );

  /** Prepares and pushes a tool's draft; blame holds it back unless `asIs` (see the module comment). */
  const push = async (
    name: string,
    args: Record<string, unknown>,
    draft: Draft,
    asIs: boolean | undefined,
  ) => {
    const asked = HeldPushes.key(corpus.author, incident, name, args);
    const id = held.id(asked);
    const prepared = await corpus.prepare({ ...draft, ...(id ? { id } : {}) });
    if (prepared.blame.length > 0 && !asIs) {
      held.hold(asked, prepared.entry.id);
      const how = `Reword it, or call ${name} again with the same input and as_is: true to send it as written.`;
      return failure(new Error(`nothing was sent: ${describeBlame(prepared.blame)}\n${how}`));
    }
    const result = await corpus.push(prepared.entry);
    if (result.rejected?.length) return failure(new Error(result.error ?? 'refused'));
    const redacted = describeCounts(prepared.counts);
    const note = redacted ? ` (redacted before sending: ${redacted})` : '';
    const sent = prepared.entry.id;
    if (result.durable.length) return text(`recorded ${sent} (durable)${note}`);
    return text(
      `queued ${sent}: not yet on the server (${result.error ?? 'unreachable'}); it is sent on the next flush${note}`,
    );
  };

  for (const tool of PUSH_TOOLS) {
    server.registerTool(
      tool.name,
      { description: tool.description, inputSchema: { ...tool.input, as_is: AS_IS } },
      async ({ as_is: asIs, ...args }) => {
        try {
          return await push(tool.name, args, tool.draft(args as Record<string, unknown>), asIs);
        } catch (err) {
          return failure(err);
        }
      },
    );
  }

  // A drill's questions are its pre-mortem gaps (shared/src/drill.ts); an answer is a finding
  // that refs one, named by its stable id or its gap's entry id.
  server.registerTool(
    'answer_question',
    {
      description:
        "Answer one of this drill's pre-mortem questions (the brief lists them): question is its id " +
        `(${QUESTIONS.map((q) => q.id).join(', ')}) or its entry id. Records a finding that refs the question.`,
      inputSchema: {
        question: z.string().min(1).max(64),
        body: f.body.min(1),
        title: f.title,
        evidence: f.evidence,
        confidence: f.confidence,
        as_is: AS_IS,
      },
    },
    async ({ question, as_is: asIs, ...answer }) => {
      try {
        const { entries } = await reads.listEntries(incident, { kind: 'gap', limit: 5000 });
        const q = findQuestion(entries, question);
        if (!q)
          return failure(
            new Error(
              `incident ${incident} asks no question "${question}": name one of ${QUESTIONS.map((x) => x.id).join(', ')} ` +
                'in a drill (its brief lists them)',
            ),
          );
        return await push('answer_question', { question, ...answer }, answerDraft(q, answer), asIs);
      } catch (err) {
        return failure(err);
      }
    },
  );

  server.registerTool(
    'get_brief',
    {
      description:
        'What you should know now: status, leading and rejected theories (and why), gaps, decisions, what changed since ' +
        'your last brief, and past incidents like this one: their causes, and theories like yours rejected there (and why).',
      inputSchema: { maxTokens: z.number().int().min(200).max(20_000).optional() },
    },
    async ({ maxTokens }) => {
      try {
        return text(await corpus.brief(maxTokens));
      } catch (err) {
        return failure(err);
      }
    },
  );

  server.registerTool(
    'search_entries',
    {
      description: 'Search the incident entries by words, kind or author.',
      inputSchema: {
        text: z.string().min(1).max(200).optional(),
        kind: z.enum(ENTRY_KINDS).optional(),
        author: z.string().min(1).max(128).optional(),
        limit: z.number().int().min(1).max(200).optional(),
      },
    },
    async ({ text: q, kind, author, limit }) => {
      try {
        const { entries } = await reads.listEntries(incident, { q, kind, author, limit: limit ?? 50 });
        return text(
          entries.map((e) => ({
            id: e.id,
            kind: e.kind,
            author: e.author.name,
            at: e.at,
            title: e.title,
            body: cut(e.body, 500),
            refs: e.refs,
          })),
        );
      } catch (err) {
        return failure(err);
      }
    },
  );

  server.registerTool(
    'search_corpus',
    {
      description:
        'Search every past and current incident you may read (not only this one): entries holding all the words, ' +
        'best first; quote an exact error string or a service name. Drills are marked [drill].',
      inputSchema: {
        text: z.string().min(1).max(MAX_QUERY_BYTES),
        kind: z.enum(ENTRY_KINDS).optional(),
        incident: IncidentId.optional(),
        drills: z.boolean().optional(),
        limit: z.number().int().min(1).max(100).optional(),
      },
    },
    async ({ text: q, kind, incident: only, drills, limit }) => {
      try {
        const { results } = await reads.search({ q, kind, incident: only, drills, limit });
        return text(searchText(results));
      } catch (err) {
        return failure(err);
      }
    },
  );

  server.registerTool(
    'find_related_incidents',
    {
      description:
        'Past incidents like this one (or like one of its entries, e.g. a theory: was it a dead end before?), why ' +
        'they matched (shared error strings, services, words) and what happened there: the confirmed cause, ' +
        'theories rejected and why, decisions, follow-ups still open.',
      inputSchema: {
        entry: EntryId.optional(),
        limit: z.number().int().min(1).max(20).optional(),
        drills: z.boolean().optional(),
      },
    },
    async ({ entry, limit, drills }) => {
      try {
        const { related } = await reads.related(incident, { entry, limit, drills });
        return text(relatedText(related));
      } catch (err) {
        return failure(err);
      }
    },
  );

  server.registerTool(
    'list_theories',
    {
      description:
        'Every theory with its derived state (open, leading, confirmed, rejected, reopened) and support.',
      inputSchema: {},
    },
    async () => {
      try {
        const { rules } = await reads.view(incident);
        return text(
          rules?.theories.map((t) => ({
            id: t.id,
            title: t.title,
            state: t.state,
            support: t.support.length,
            rejectedBy: t.rejectedBy,
          })) ?? [],
        );
      } catch (err) {
        return failure(err);
      }
    },
  );

  server.registerResource(
    'commander-view',
    new ResourceTemplate('sitrep://incidents/{incident}/commander-view', {
      list: () => ({
        resources: [
          { uri: `sitrep://incidents/${incident}/commander-view`, name: `Commander view of ${incident}` },
        ],
      }),
    }),
    {
      description: "The incident's commander view: the LLM's summary (when there is one) and the rules view",
      mimeType: 'application/json',
    },
    async (uri, vars) => {
      const view: IncidentViewResponse = await reads.view(String(vars.incident));
      return {
        contents: [
          {
            uri: uri.href,
            mimeType: 'application/json',
            text: JSON.stringify(
              { commander: view.commander, rules: view.rules, summarizer: view.summarizer },
              null,
              2,
            ),
          },
        ],
      };
    },
  );
  return server;
}

/** `sitrep mcp`: the server over stdio, for the client's incident. */
export async function serveMcp(client: NodeClient, stateDir: string): Promise<void> {
  await buildMcpServer(new ClientCorpus(client, stateDir)).connect(new StdioServerTransport());
}
