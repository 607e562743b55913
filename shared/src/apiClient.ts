// A small client for the HTTP API, for Node and the browser (fetch only). Errors come back as
// SitrepErrors carrying the server's code and message.
import { z } from 'zod';
import {
  AppendEntriesResponse,
  ApiError,
  AuditRecord,
  BriefResponse,
  EntriesResponse,
  ReceiptsResponse,
  IncidentViewResponse,
  IncidentsResponse,
  Me,
  SummariesResponse,
  SummarizerControl as SummarizerControlResponse,
  PurgeResponse,
  ReplayResponse,
  SanitizerSettings,
  ScanLine,
  TokenSummary,
  TokenCreated,
  CreateIncidentResponse,
  type CreateDrill,
  CreateDrillResponse,
  type AllowancesRequest,
  type AppendEntriesRequest,
  type CreateTokenRequest,
  type EntryQuery,
} from './api.js';
import { type ConnectRequest, ConnectResponse } from './connect.js';
import { ERROR_CODES, type ErrorCode, SitrepError } from './error.js';
import type { ExportDocument, ExportFormat } from './exportDocument.js';
import {
  type CreateIncident,
  IncidentSummary,
  type UpdateIncident,
  UpdateIncidentResponse,
} from './incident.js';
import { IncidentFiguresResponse, type InsightsQueryInput, InsightsResponse } from './insights.js';
import { type RelatedQuery, RelatedResponse, type SearchQuery, SearchResponse } from './memory.js';
import type { PrivateType } from './sanitizer/dataTypes.js';
import { type UsageReport, UsageReportResponse, UsageResponse } from './usage.js';
import { queryValues } from './queryParams.js';

const IncidentResponse = z.object({ incident: IncidentSummary });
const TokensResponse = z.object({ tokens: z.array(TokenSummary) });
const Revoked = z.object({ revoked: z.string() });
const AuditResponse = z.object({ records: z.array(AuditRecord) });

export interface ApiClientOptions {
  token?: string | undefined;
  timeoutMs?: number;
}

/** The JSON in `text`, or undefined. */
function parseOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Drops undefined values and builds a query string. */
function queryString(q: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams(queryValues(q));
  return params.size ? `?${params}` : '';
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly opts: ApiClientOptions = {},
  ) {}

  /** The token's id, role and incident scope. */
  me() {
    return this.call('GET', '/api/me', Me);
  }

  /** A page of incidents, most recently active first; pass the answer's `next` as `cursor` for the next. */
  listIncidents(
    q: { limit?: number | undefined; cursor?: string | undefined; archived?: boolean | undefined } = {},
  ) {
    return this.call('GET', `/api/incidents${queryString(q)}`, IncidentsResponse);
  }

  /** Admin: archives an incident (out of the default list, still readable) or unarchives it. */
  archiveIncident(id: string, archived: boolean) {
    return this.call('POST', `/api/incidents/${encodeURIComponent(id)}/archive`, IncidentResponse, {
      archived,
    });
  }

  getIncident(id: string) {
    return this.call('GET', `/api/incidents/${encodeURIComponent(id)}`, IncidentResponse);
  }

  /**
   * Commander: changes the incident's status, severity, commander or times; answers with the
   * meta once durable, with the milestones the server stamped for a status change.
   */
  updateIncident(id: string, body: UpdateIncident) {
    return this.call('PATCH', `/api/incidents/${encodeURIComponent(id)}`, UpdateIncidentResponse, body);
  }

  /** A private incident made by a token that is not an admin's comes with a commander token limited to it. */
  createIncident(body: CreateIncident) {
    return this.call('POST', '/api/incidents', CreateIncidentResponse, body);
  }

  /** A drill from a scenario or one of ours; found, not made again, for a scenario sent twice. */
  createDrill(body: CreateDrill) {
    return this.call('POST', '/api/drills', CreateDrillResponse, body);
  }

  /** Admin: makes an incident private (readable only by admins and tokens limited to it) or not; audited. */
  setPrivate(id: string, isPrivate: boolean) {
    return this.call('POST', `/api/incidents/${encodeURIComponent(id)}/private`, IncidentResponse, {
      private: isPrivate,
    });
  }

  /**
   * What to redact with before writing to the incident: its sanitizer key, the policy with its
   * allowances applied, and the allowances (tokens that may write it only).
   */
  sanitizerSettings(incidentId: string) {
    return this.call('GET', `/api/incidents/${encodeURIComponent(incidentId)}/sanitizer`, SanitizerSettings);
  }

  /**
   * Commander: sets the private data types the incident allows (the whole set; `[]` withdraws
   * them), audited; answers the settings as they now are.
   */
  setAllowances(incidentId: string, allow: AllowancesRequest['allow']) {
    return this.call(
      'PUT',
      `/api/incidents/${encodeURIComponent(incidentId)}/allowances`,
      SanitizerSettings,
      { allow },
    );
  }

  /** Resolves once the entries are durable on the server. */
  appendEntries(incidentId: string, body: AppendEntriesRequest) {
    return this.call(
      'POST',
      `/api/incidents/${encodeURIComponent(incidentId)}/entries`,
      AppendEntriesResponse,
      body,
    );
  }

  listEntries(incidentId: string, q: Partial<EntryQuery> = {}) {
    const query = queryString({ ...q, flagged: q.flagged ? 'true' : undefined });
    return this.call(
      'GET',
      `/api/incidents/${encodeURIComponent(incidentId)}/entries${query}`,
      EntriesResponse,
    );
  }

  /** Receipts (which token wrote each entry, when it arrived) in log order from `after` on, a page at a time. */
  receipts(incidentId: string, after?: string) {
    return this.call(
      'GET',
      `/api/incidents/${encodeURIComponent(incidentId)}/receipts${queryString({ after })}`,
      ReceiptsResponse,
    );
  }

  /** The document as of a sequence number or an ISO time, rebuilt from the log. */
  replay(incidentId: string, at: number | string) {
    return this.call(
      'GET',
      `/api/incidents/${encodeURIComponent(incidentId)}/replay${queryString({ at })}`,
      ReplayResponse,
    );
  }

  /** Admin only: removes a leaked entry from the document and from storage. */
  purgeEntry(incidentId: string, entryId: string, reason: string) {
    const path = `/api/incidents/${encodeURIComponent(incidentId)}/entries/${encodeURIComponent(entryId)}/purge`;
    return this.call('POST', path, PurgeResponse, { reason });
  }

  /** The incident's `view` root: rules view, timeline, commander view, summarizer status. */
  view(incidentId: string) {
    return this.call('GET', `/api/incidents/${encodeURIComponent(incidentId)}/view`, IncidentViewResponse);
  }

  /**
   * What a harness should know at the start of a turn, within `maxTokens`; `since` is the last
   * brief's `seq` (or, as older clients kept it, its `watermark`).
   */
  brief(incidentId: string, q: { since?: number | string | undefined; maxTokens?: number | undefined } = {}) {
    return this.call(
      'GET',
      `/api/incidents/${encodeURIComponent(incidentId)}/brief${queryString(q)}`,
      BriefResponse,
    );
  }

  /** Entries across every incident this token may read, ranked (shared/src/memory.ts: SearchQuery). */
  search(q: Partial<SearchQuery> & Pick<SearchQuery, 'q'>) {
    return this.call('GET', `/api/search${queryString(q)}`, SearchResponse);
  }

  /** The incident's AI usage: its harnesses' by author and model, the summarizer's by model, at list prices. */
  usage(incidentId: string) {
    return this.call('GET', `/api/incidents/${encodeURIComponent(incidentId)}/usage`, UsageResponse);
  }

  /** One incident's outcome figures: milestone times, entries, theories, AI usage and cost. */
  figures(incidentId: string) {
    return this.call(
      'GET',
      `/api/incidents/${encodeURIComponent(incidentId)}/figures`,
      IncidentFiguresResponse,
    );
  }

  /** Outcome figures across the incidents this token may read (shared/src/insights.ts: InsightsQuery). */
  insights(q: InsightsQueryInput = {}) {
    return this.call('GET', `/api/insights${queryString(q)}`, InsightsResponse);
  }

  /** Responder: usage read from a harness's transcript; a message sent again is not counted again. */
  reportUsage(incidentId: string, report: UsageReport) {
    return this.call(
      'POST',
      `/api/incidents/${encodeURIComponent(incidentId)}/usage`,
      UsageReportResponse,
      report,
    );
  }

  /** Past incidents like this one (or like one of its entries), and what happened there. */
  related(incidentId: string, q: Partial<RelatedQuery> = {}) {
    return this.call(
      'GET',
      `/api/incidents/${encodeURIComponent(incidentId)}/related${queryString(q)}`,
      RelatedResponse,
    );
  }

  /** Commander: pause or resume the LLM summarizer for the incident. */
  setSummarizerPaused(incidentId: string, paused: boolean) {
    return this.call(
      'POST',
      `/api/incidents/${encodeURIComponent(incidentId)}/summarizer`,
      SummarizerControlResponse,
      { paused },
    );
  }

  /** The incident's LLM runs, newest first: model, tokens, latency, view or error. */
  summaries(incidentId: string, limit?: number) {
    return this.call(
      'GET',
      `/api/incidents/${encodeURIComponent(incidentId)}/summaries${queryString({ limit })}`,
      SummariesResponse,
    );
  }

  /** The incident as a Markdown postmortem draft, self-contained HTML or complete JSON, from its log. */
  /** An export; `names` makes the Markdown and HTML drafts name people (by default, roles and harnesses). */
  async exportIncident(
    incidentId: string,
    format: ExportFormat,
    at?: number | string,
    opts: { names?: boolean } = {},
  ): Promise<string> {
    const q = queryString({ format, at, names: opts.names ? 'true' : undefined });
    const res = await this.request('GET', `/api/incidents/${encodeURIComponent(incidentId)}/export${q}`);
    return res.text();
  }

  /** A drill's report (`format`: md, html or json) as text. */
  async drillReport(drillId: string, format: ExportFormat): Promise<string> {
    const res = await this.request(
      'GET',
      `/api/drills/${encodeURIComponent(drillId)}/report${queryString({ format })}`,
    );
    return res.text();
  }

  /**
   * Admin: the stored entries the sanitizer now catches, line by line as the server scans
   * (progress lines between); never the text. `timeoutMs` bounds the whole scan.
   */
  async *scanStored(incidentId: string, timeoutMs = 30 * 60_000): AsyncGenerator<ScanLine> {
    const res = await this.request(
      'GET',
      `/api/incidents/${encodeURIComponent(incidentId)}/sanitizer/scan`,
      undefined,
      timeoutMs,
    );
    if (!res.body) throw new SitrepError('remote.error', 'the scan came back without a body');
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let rest = '';
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      const lines = (rest + read.value).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const parsed = ScanLine.safeParse(parseOr(line));
        if (!parsed.success) throw new SitrepError('remote.error', 'unexpected line in the scan');
        yield parsed.data;
      }
    }
  }

  /**
   * Commander: creates an incident from a JSON export, whole or not at all; `allow`: the private
   * data types the new incident allows (kept as written), audited. It is private when the export
   * was or `private` asks; then, made by a token that is not an admin's, it comes with a
   * commander token limited to it.
   */
  importIncident(
    doc: ExportDocument,
    id?: string,
    allow: readonly PrivateType[] = [],
    opts: { private?: boolean } = {},
  ) {
    const q = queryString({
      id,
      allow: allow.length > 0 ? allow.join(',') : undefined,
      private: opts.private ? 'true' : undefined,
    });
    return this.call('POST', `/api/incidents/import${q}`, CreateIncidentResponse, doc);
  }

  /**
   * Commander: a responder token limited to the incident for a harness, carrying the responder's
   * name (shown only in this answer), and the ready-to-paste setup of the harness (of each, without one).
   */
  connect(incidentId: string, body: ConnectRequest) {
    return this.call(
      'POST',
      `/api/incidents/${encodeURIComponent(incidentId)}/connect`,
      ConnectResponse,
      body,
    );
  }

  /** Makes a token; the token itself is in the answer only this once. */
  createToken(body: CreateTokenRequest) {
    return this.call('POST', '/api/tokens', TokenCreated, body);
  }

  listTokens() {
    return this.call('GET', '/api/tokens', TokensResponse);
  }

  revokeToken(id: string) {
    return this.call('DELETE', `/api/tokens/${encodeURIComponent(id)}`, Revoked);
  }

  listAudit(
    q: {
      incident?: string | undefined;
      action?: string | undefined;
      before?: number | undefined;
      limit?: number | undefined;
    } = {},
  ) {
    return this.call('GET', `/api/audit${queryString(q)}`, AuditResponse);
  }

  private async call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<z.infer<S>> {
    const res = await this.request(method, path, body);
    const parsed = schema.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw new SitrepError('remote.error', `unexpected response from ${method} ${path}`);
    return parsed.data;
  }

  /** Sends the request; a non-2xx answer becomes the SitrepError it carries. */
  private async request(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs = this.opts.timeoutMs ?? 30_000,
  ): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.opts.token ? { authorization: `Bearer ${this.opts.token}` } : {}),
        },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new SitrepError(
        'remote.error',
        `cannot reach sitrep at ${this.baseUrl}: ${(err as Error).message}`,
      );
    }
    if (res.ok) return res;
    const parsed = ApiError.safeParse(await res.json().catch(() => null));
    if (!parsed.success)
      throw new SitrepError('remote.error', `sitrep answered ${res.status} without an error body`);
    const { code, message, details } = parsed.data.error;
    const known = (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'remote.error';
    throw new SitrepError(known, message, details as Record<string, unknown> | undefined);
  }
}
