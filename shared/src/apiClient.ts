// A small client for the HTTP API, for Node and the browser (fetch only). Errors come back as
// SitrepErrors carrying the server's code and message.
import { z } from 'zod';
import { AppendEntriesResponse, ApiError, EntriesResponse, type AppendEntriesRequest } from './api.js';
import { ERROR_CODES, type ErrorCode, SitrepError } from './error.js';
import { type CreateIncident, IncidentSummary } from './incident.js';

const IncidentResponse = z.object({ incident: IncidentSummary });
const IncidentsResponse = z.object({ incidents: z.array(IncidentSummary) });

export interface EntryListQuery {
  kind?: string | undefined;
  author?: string | undefined;
  since?: string | undefined;
  after?: string | undefined;
  limit?: number | undefined;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly opts: { timeoutMs?: number } = {},
  ) {}

  listIncidents() {
    return this.call('GET', '/api/incidents', IncidentsResponse);
  }

  getIncident(id: string) {
    return this.call('GET', `/api/incidents/${encodeURIComponent(id)}`, IncidentResponse);
  }

  createIncident(body: CreateIncident) {
    return this.call('POST', '/api/incidents', IncidentResponse, body);
  }

  /** Resolves once the entries are durable on the server. */
  appendEntries(incidentId: string, body: AppendEntriesRequest) {
    return this.call('POST', `/api/incidents/${encodeURIComponent(incidentId)}/entries`, AppendEntriesResponse, body);
  }

  listEntries(incidentId: string, q: EntryListQuery = {}) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
    const qs = params.size ? `?${params}` : '';
    return this.call('GET', `/api/incidents/${encodeURIComponent(incidentId)}/entries${qs}`, EntriesResponse);
  }

  private async call<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown): Promise<z.infer<S>> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw new SitrepError('remote.error', `cannot reach sitrep at ${this.baseUrl}: ${(err as Error).message}`);
    }
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const parsed = ApiError.safeParse(json);
      if (!parsed.success) throw new SitrepError('remote.error', `sitrep answered ${res.status} without an error body`);
      const { code, message, details } = parsed.data.error;
      const known = (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'remote.error';
      throw new SitrepError(known, message, details as Record<string, unknown> | undefined);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new SitrepError('remote.error', `unexpected response from ${method} ${path}`);
    return parsed.data;
  }
}
