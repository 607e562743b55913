// The views the server keeps from changes (DerivedViews) against a whole recompute: after
// entries appended over HTTP and over a stock provider (theories, findings, rejections, reopens,
// decisions, gaps), curation, a meta change and a purge, what the document holds is what
// buildRulesView and buildTimeline make of the document's entries.
import {
  type Entry,
  type EntryKind,
  buildRulesView,
  buildTimeline,
  readCuration,
  readEntries,
  readMeta,
  readView,
} from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { connectProvider, makeEntry, synced } from '../support/clients.js';
import { prng } from '../support/random.js';
import { BACKENDS, type Fixture, settle, startFixture, waitFor } from '../support/server.js';

describe.each(BACKENDS)('views kept from changes (%s)', (backend) => {
  let f: Fixture;
  const providers: WebsocketProvider[] = [];
  beforeAll(async () => {
    f = await startFixture(backend);
  });
  afterAll(async () => {
    for (const p of providers) p.destroy();
    await f.close();
  });

  it('hold what a whole recompute makes, after appends, curation, a meta change and a purge', async () => {
    const incident = (await f.api.createIncident({ title: 'views from changes' })).incident.id;
    const room = await f.server.rooms.open(incident);
    const p = connectProvider(f.server.url, incident, f.token);
    providers.push(p);
    await synced(p);
    const { int } = prng(29);
    const kinds: EntryKind[] = ['theory', 'finding', 'finding', 'rejection', 'reopen', 'decision', 'gap'];
    const ids: string[] = [];
    const next = (): Entry => {
      const kind = kinds[int(kinds.length)] ?? 'finding';
      const answers = kind === 'rejection' || kind === 'reopen';
      const refs = ids.length > 0 && (answers || int(3) > 0) ? [ids[int(ids.length)] ?? ''] : [];
      const e = makeEntry(refs.length === 0 && answers ? 'finding' : kind, {
        ...(refs.length > 0 && { refs }),
        ...(int(4) === 0 && { tags: ['confirms'] }),
        ...(kind === 'decision' && int(2) === 0 && { rationale: 'the canary failed' }),
      });
      ids.push(e.id);
      return e;
    };
    const check = async () => {
      await settle(f.server, incident);
      const doc = room.doc;
      const entries = readEntries(doc);
      const meta = readMeta(doc);
      if (!meta) throw new Error('no meta');
      expect(readView(doc, 'rules')).toEqual(buildRulesView(entries));
      expect(readView(doc, 'timeline')).toEqual(
        buildTimeline(meta, entries, readCuration(doc), readView(doc, 'commander')?.timeline ?? []),
      );
    };
    for (let round = 0; round < 4; round++) {
      await f.api.appendEntries(incident, { entries: Array.from({ length: 15 }, next) });
      await settle(f.server, incident);
      const live = Array.from({ length: 10 }, next);
      for (const e of live) p.doc.getMap('entries').set(e.id, e);
      p.doc.getMap('curation').set(ids[int(ids.length)] ?? '', { pinned: true, label: `round ${round}` });
      await waitFor(() => live.every((e) => room.doc.getMap('entries').has(e.id)), 'the live entries');
      await check();
    }
    await f.api.updateIncident(incident, { status: 'monitoring' });
    await check();
    // A purge deletes an entry: its items go, and what quoted it is redrawn.
    const theory = readEntries(room.doc).find((e) => e.kind === 'theory');
    if (theory) await f.api.purgeEntry(incident, theory.id, 'test');
    await check();
  }, 120_000);
});
