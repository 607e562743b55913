// Routes for an incident's derived views under /api: the `view` root, the brief for harnesses, the summarizer's pause
// switch (the commander's andon cord) and the record of LLM runs.
import {
  BriefQuery,
  type BriefResponse,
  RelatedQuery,
  type IncidentViewResponse,
  SitrepError,
  SummariesQuery,
  SummarizerControl,
  briefChangesLimit,
  buildBrief,
  readEntries,
  readMeta,
  readView,
  renderBrief,
} from '@sitrep/shared';
import { Hono } from 'hono';
import { IncidentMemory } from '../memory/IncidentMemory.js';
import { readableBy } from '../store/visibility.js';
import type { Summarizer } from '../summarizer/Summarizer.js';
import { type AppEnv, principalOf } from './auth.js';
import { jsonBody, query } from './body.js';
import type { ApiDeps, IncidentLookup } from './incidents.js';

export function viewRoutes({
  store,
  rooms,
  summarizer,
  incidentOf,
}: ApiDeps & { summarizer: Summarizer; incidentOf: IncidentLookup }): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const memory = new IncidentMemory(store.memory);

  api.get('/incidents/:id/view', async (c) => {
    const incident = await incidentOf(c, 'viewer');
    const room = await rooms.open(incident.id);
    const body: IncidentViewResponse = {
      seq: room.seq,
      rules: readView(room.doc, 'rules'),
      timeline: readView(room.doc, 'timeline'),
      commander: readView(room.doc, 'commander'),
      summarizer: readView(room.doc, 'summarizer'),
    };
    return c.json(body);
  });

  api.get('/incidents/:id/brief', async (c) => {
    const incident = await incidentOf(c, 'viewer');
    const { since, maxTokens } = query(c, BriefQuery);
    const room = await rooms.open(incident.id);
    const meta = readMeta(room.doc);
    if (!meta) throw new SitrepError('incident.not_found', `incident ${incident.id} has no meta yet`);
    // New since the last brief: what landed in the log after it, whatever the entries' ids say.
    // An entry id (a client from before `seq`) stands for the position where it landed. The
    // position is taken before the log is asked: an entry landing meanwhile is told twice, never
    // missed.
    const seq = room.seq;
    const after =
      since === undefined
        ? null
        : typeof since === 'number'
          ? since
          : await store.entrySeq(incident.id, since);
    // "Seen before" is read with this reader's own visibility, per request: other incidents' text
    // goes into this answer only, never into the document or its views, which every reader gets.
    const [landed, related] = await Promise.all([
      after === null ? null : store.newestAfter(incident.id, after, briefChangesLimit(maxTokens)),
      memory.related(incident.id, RelatedQuery.parse({}), readableBy(principalOf(c))),
    ]);
    const brief = buildBrief({
      id: incident.id,
      meta,
      entries: readEntries(room.doc),
      commander: readView(room.doc, 'commander'),
      rules: readView(room.doc, 'rules'),
      seq,
      landed: landed?.newest ?? null,
      landedTotal: landed?.total ?? 0,
      related,
      maxTokens,
    });
    const body: BriefResponse = { brief, markdown: renderBrief(brief) };
    return c.json(body);
  });

  api.post('/incidents/:id/summarizer', async (c) => {
    const incident = await incidentOf(c, 'commander');
    const { paused } = await jsonBody(c, SummarizerControl);
    await summarizer.setPaused(incident.id, paused);
    await store.audit.record({
      action: 'summarizer',
      incidentId: incident.id,
      tokenId: principalOf(c).tokenId,
      detail: { paused },
    });
    return c.json({ paused });
  });

  api.get('/incidents/:id/summaries', async (c) => {
    const incident = await incidentOf(c, 'viewer');
    const { limit } = query(c, SummariesQuery);
    return c.json({ summaries: await store.summaries.list(incident.id, limit) });
  });

  return api;
}
