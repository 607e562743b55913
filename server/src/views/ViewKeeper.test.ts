import { buildRulesView, readEntries, readView } from '@sitrep/shared';
import { describe, expect, it } from 'vitest';
import { MemoryLog } from '../../../test/support/memoryLog.js';
import { Leases } from '../cluster/Leases.js';
import { createLogger } from '../log.js';
import { Metrics } from '../metrics.js';
import { IncidentRoom } from '../room/IncidentRoom.js';
import { ViewKeeper, viewWait } from './ViewKeeper.js';
import { makeEntry } from '../../../test/support/clients.js';

describe('view recompute pacing', () => {
  it('waits the debounce, at most once a second while a recompute is cheap', () => {
    expect(viewWait(10_000, 0, 5)).toBe(100); // long since the last run: only the debounce
    expect(viewWait(10_200, 10_000, 5)).toBe(800); // once per second
  });

  it('stretches the interval to ten times the cost of an expensive recompute', () => {
    expect(viewWait(10_200, 10_000, 250)).toBe(2_300); // 250 ms per run: every 2.5 s
    expect(viewWait(20_000, 10_000, 250)).toBe(100);
  });
});

const ID = 'inc-views-test';
/** A finding by a harness (test/support), its body given. */
const entry = (body: string) => makeEntry('finding', { body });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('views with the commit of their entries', () => {
  it('are read whole again after a commit they went with failed', async () => {
    const log = new MemoryLog().create(ID);
    const room = await IncidentRoom.load(ID, log, createLogger('silent'), new Metrics(), 1_000);
    const meta = { title: 't', severity: 'SEV2', status: 'investigating', kind: 'incident' } as const;
    await room.updateMeta({ ...meta, createdAt: new Date().toISOString() }, 'server', null);
    const logger = createLogger('silent');
    const leases = new Leases(
      'n',
      async (names, _holder, ttlMs) => new Map(names.map((n) => [n, ttlMs])),
      logger,
    );
    const keeper = new ViewKeeper(room, { metrics: new Metrics(), log: logger, leases });
    keeper.start();
    await room.appendEntries([entry('first')], 'responder');
    await keeper.settled();
    await pause(1_100); // a run is due at the next commit
    log.failNextAppend(new Error('disk full'));
    await expect(room.appendEntries([entry('lost')], 'responder')).rejects.toThrow();
    await room.appendEntries([entry('kept')], 'responder');
    await keeper.settled();
    expect(readView(room.doc, 'rules')).toEqual(buildRulesView(readEntries(room.doc)));
    expect(readView(room.doc, 'rules')?.counts.finding).toBe(2);
    keeper.stop();
  });
});
