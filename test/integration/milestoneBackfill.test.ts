// Incidents made before the milestone columns (migration 0019) get their times in the background
// when the server starts, on PGlite and Postgres: read from each document in the document worker,
// without loading a room, and written only where no room mirrored them first; a second run finds
// nothing to do.
import { ApiClient, readMeta } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillMilestones } from '../../server/src/insights/milestoneBackfill.js';
import { openDatabase } from '../../server/src/store/db.js';
import { BACKENDS, type Fixture, startFixture, startTestServer, waitFor } from '../support/server.js';

const MIN = 60_000;
const DETECTED = '2026-10-01T10:00:00.000Z';
const plus = (min: number) => new Date(Date.parse(DETECTED) + min * MIN).toISOString();

describe.each(BACKENDS)('milestone backfill (%s)', (backend) => {
  let f: Fixture;
  const ids: string[] = [];

  beforeAll(async () => {
    f = await startFixture(backend);
    for (let i = 0; i < 3; i++) {
      const { id } = (await f.api.createIncident({ title: `older ${i}`, severity: 'SEV2' })).incident;
      await f.api.updateIncident(id, {
        detectedAt: DETECTED,
        acknowledgedAt: plus(5 + i),
        mitigatedAt: plus(30),
        resolvedAt: plus(60 * (i + 1)),
        status: 'resolved',
      });
      ids.push(id);
    }
    const port = f.server.port;
    await f.server.close();
    // As the migration left every incident made before it: no milestone columns.
    const db = await openDatabase(f.storage);
    await db.db.execute('update incidents set milestones = null, declared_at = null');
    await db.close();
    f.server = await startTestServer(f.storage, port);
    f.api = new ApiClient(f.server.url, { token: f.token });
  }, 60_000);
  afterAll(() => f?.close());

  it('fills the times of older incidents when the server starts, loading no room', async () => {
    const times = async () => (await f.api.insights({ severity: 'SEV2' })).incidents.times.timeToResolveMs;
    expect(
      await waitFor(async () => ((await times()).n === 3 ? times() : null), 'the times backfilled'),
    ).toEqual({
      n: 3,
      medianMs: 120 * MIN,
      p90Ms: 168 * MIN,
    });
    const first = await f.api.figures(ids[0] ?? '');
    expect(first).toMatchObject({
      declaredAt: DETECTED,
      times: { timeToAcknowledgeMs: 5 * MIN, timeToMitigateMs: 30 * MIN, timeToResolveMs: 60 * MIN },
    });
    expect(f.server.rooms.loaded).toBe(0);
  });

  it('is idempotent and never writes over a mirror made since', async () => {
    expect(await backfillMilestones(f.server.store)).toBe(0);
    const id = ids[1] ?? '';
    const meta = readMeta((await f.server.rooms.open(id)).doc); // its room mirrors what it loads
    expect(meta?.status).toBe('resolved');
    // An older read of the same meta, without the resolution: the row keeps the mirror.
    expect(meta && (await f.server.store.fillMilestones(id, { ...meta, resolvedAt: null }))).toBe(false);
    expect((await f.api.figures(id)).times.timeToResolveMs).toBe(120 * MIN);
  });
});
