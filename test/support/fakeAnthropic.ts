// A fake Anthropic Messages API on 127.0.0.1, speaking the real wire format (POST /v1/messages,
// tool_use answers with usage, error bodies with the real error types and statuses), so tests
// drive the production SDK code path. By default it answers like a careful model: a commander
// view citing the entries it was given. Tests swap the answer per call.
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  model: string;
  system: string;
  user: string;
  tools: { name: string; input_schema: unknown }[];
  tool_choice: unknown;
  max_tokens: number;
  apiKey: string | undefined;
  /** The JSON inside <incident_data>, parsed. */
  data: {
    meta: { title: string; kind: string };
    /** A drill's questions and actions (the summarizer's drill prompt). */
    drill?: {
      questions: { id: string; question: string; answers: string[]; answerCount: number }[];
      actions: { id: string; text: string; owner?: string; questions: string[] }[];
    };
    newEntries: { id: string; kind: string; title?: string; body: string; at: string }[];
    omittedOlderNewEntries?: number;
  };
}

export type FakeAnswer =
  /** `model`: the name to answer with, null for none (default: the one asked for). */
  | { kind: 'tool'; input: unknown; delayMs?: number; model?: string | null }
  | { kind: 'text'; text: string }
  | { kind: 'error'; status: number; type: string; message: string; delayMs?: number }
  /** Headers and the start of a body, then nothing more: a server stalled mid-answer. */
  | { kind: 'stall' };

export interface FakeAnthropic {
  url: string;
  requests: FakeRequest[];
  /** Answers the next calls with `fn` (default: `carefulAnswer`). */
  answerWith(fn: (req: FakeRequest) => FakeAnswer): void;
  close(): Promise<void>;
}

/** What a well-behaved model says: a headline citing the newest entry, a change per new entry. */
export function carefulAnswer(req: FakeRequest): FakeAnswer {
  const fresh = req.data.newEntries;
  const newest = fresh.at(-1);
  if (!newest) return { kind: 'tool', input: { headline: { text: 'Nothing new', cites: [] } } };
  return {
    kind: 'tool',
    input: {
      headline: {
        text: `${req.data.meta.title}: ${newest.title ?? newest.body.slice(0, 60)}`,
        cites: [newest.id],
      },
      impact: { text: 'Checkout is degraded for some customers', cites: [fresh[0]?.id ?? newest.id] },
      status: null,
      whatChanged: fresh
        .slice(-5)
        .map((e) => ({ text: `New ${e.kind}: ${(e.title ?? e.body).slice(0, 80)}`, cites: [e.id] })),
      nextActions: [{ text: 'Confirm the leading theory', cites: [newest.id] }],
      warnings: [],
      mergedTheories: [],
      timeline: [
        { at: newest.at, text: `Latest: ${(newest.title ?? newest.body).slice(0, 60)}`, cites: [newest.id] },
      ],
    },
  };
}

const estimate = (s: string) => Math.ceil(s.length / 4);

/** The API key, sent as `x-api-key` or (newer SDKs) as a bearer token. */
function apiKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const key = headers['x-api-key'];
  if (typeof key === 'string' && key) return key;
  return headers.authorization?.replace(/^Bearer /, '') || undefined;
}

export async function startFakeAnthropic(): Promise<FakeAnthropic> {
  const requests: FakeRequest[] = [];
  let answer: (req: FakeRequest) => FakeAnswer = carefulAnswer;
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_fake_${++n}` });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || !req.url?.startsWith('/v1/messages')) {
        return send(404, {
          type: 'error',
          error: { type: 'not_found_error', message: `no route ${req.method} ${req.url}` },
        });
      }
      if (!apiKeyOf(req.headers))
        return send(401, {
          type: 'error',
          error: { type: 'authentication_error', message: 'invalid x-api-key' },
        });
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<
        FakeRequest,
        'user' | 'data' | 'apiKey'
      > & { messages: { content: string }[] };
      const user = body.messages[0]?.content ?? '';
      const dataText = /<incident_data>\n([\s\S]*)\n<\/incident_data>/.exec(user)?.[1] ?? '{}';
      const request: FakeRequest = {
        model: body.model,
        system: body.system,
        user,
        tools: body.tools,
        tool_choice: body.tool_choice,
        max_tokens: body.max_tokens,
        apiKey: apiKeyOf(req.headers),
        data: JSON.parse(dataText) as FakeRequest['data'],
      };
      requests.push(request);
      const a = answer(request);
      const delay = 'delayMs' in a ? (a.delayMs ?? 0) : 0;
      setTimeout(() => {
        if (res.destroyed) return;
        if (a.kind === 'error')
          return send(a.status, { type: 'error', error: { type: a.type, message: a.message } });
        if (a.kind === 'stall') {
          res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_fake_${n}` });
          return void res.write('{"id":"msg_fake_stalled","type":"message",');
        }
        const content =
          a.kind === 'tool'
            ? [{ type: 'tool_use', id: `toolu_fake_${n}`, name: 'commander_view', input: a.input }]
            : [{ type: 'text', text: a.text }];
        send(200, {
          id: `msg_fake_${n}`,
          type: 'message',
          role: 'assistant',
          ...(a.kind === 'tool' && a.model === null
            ? {}
            : { model: a.kind === 'tool' && a.model !== undefined ? a.model : request.model }),
          content,
          stop_reason: a.kind === 'tool' ? 'tool_use' : 'end_turn',
          stop_sequence: null,
          usage: {
            input_tokens: estimate(request.system) + estimate(user),
            output_tokens: estimate(JSON.stringify(content)),
          },
        });
      }, delay);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answerWith(fn) {
      answer = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
