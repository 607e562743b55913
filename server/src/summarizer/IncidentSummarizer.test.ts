// One incident's LLM runs against the seams it is given: a ViewWriter that writes into a plain
// Y.Doc, storage that remembers its runs, and a model that answers what the test says. No server.
import {
  type CommanderBrief,
  type Entry,
  type SummarizerStatus,
  type ViewValues,
  entriesMap,
  metaMap,
  newEntryId,
  readView,
  viewChanges,
  viewMap,
} from '@sitrep/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createLogger } from '../log.js';
import { Metrics } from '../metrics.js';
import type { SummaryRun } from '../store/SummaryLog.js';
import type { ViewWriter } from '../views/ViewKeeper.js';
import type { CommanderModel, ModelAnswer } from './AnthropicModel.js';
import { Breaker } from './Breaker.js';
import { IncidentSummarizer, type SummarizerStore } from './IncidentSummarizer.js';

const CONFIG = {
  debounceMs: 10,
  tokensPerHour: 100_000,
  maxInputTokens: 20_000,
  timeoutMs: 1_000,
  breakerCooldownMs: 60_000,
};

function incidentDoc(): { doc: Y.Doc; entry: Entry } {
  const doc = new Y.Doc();
  const entry: Entry = {
    v: 1,
    id: newEntryId(),
    kind: 'finding',
    body: 'checkout p99 is 4 s',
    author: { id: 'a', name: 'Ann', kind: 'human' },
    at: new Date().toISOString(),
  };
  doc.transact(() => {
    const meta = metaMap(doc);
    for (const [k, v] of Object.entries({
      title: 'checkout slow',
      severity: 'SEV2',
      status: 'investigating',
      kind: 'incident',
      createdAt: new Date().toISOString(),
    }))
      meta.set(k, v);
    entriesMap(doc).set(entry.id, entry);
  });
  return { doc, entry };
}

/** A ViewWriter over a plain document: writes apply at once; the lease is held unless told. */
function writerOf(doc: Y.Doc, lease = true): ViewWriter & { writes: ViewValues[] } {
  const writes: ViewValues[] = [];
  return {
    room: { id: 'inc-1', doc, seq: 7 },
    writes,
    holdsLease: async () => lease,
    async write(values) {
      writes.push(values);
      const { sets, deletes } = viewChanges(viewMap(doc), values);
      doc.transact(() => {
        for (const [k, v] of sets) viewMap(doc).set(k, v);
        for (const k of deletes) viewMap(doc).delete(k);
      });
    },
    settled: async () => {},
  };
}

/** Storage that keeps its runs; `landed` are the entries it says landed after the last view. */
function storeOf(
  opts: { paused?: boolean; used?: number } = {},
): SummarizerStore & { runs: SummaryRun[]; landed: Set<string> } {
  const runs: SummaryRun[] = [];
  const landed = new Set<string>();
  return {
    runs,
    landed,
    entryIdsAfter: async () => landed,
    summaries: {
      record: async (run) => void runs.push(run),
      tokensSince: async () =>
        (opts.used ?? 0) + runs.reduce((n, r) => n + r.inputTokens + r.outputTokens, 0),
      isPaused: async () => opts.paused ?? false,
      setPaused: async () => true,
    },
  };
}

const modelOf = (answer: (entry: string) => unknown): CommanderModel & { calls: number } => {
  const model = {
    model: 'claude-test',
    calls: 0,
    async answer(request: { user: string }): Promise<ModelAnswer> {
      model.calls++;
      const cited = /"id":"([^"]+)"/.exec(request.user)?.[1] ?? 'none';
      return { output: answer(cited), inputTokens: 100, outputTokens: 20, model: 'claude-test' };
    },
  };
  return model;
};

const brief = (cite: string): CommanderBrief => ({
  headline: { text: 'checkout is slow', cites: [cite] },
  impact: null,
  status: null,
  whatChanged: [],
  nextActions: [],
  warnings: [{ text: 'nobody on the database yet', cites: ['01ZZZZZZZZZZZZZZZZZZZZZZZZ'] }],
  mergedTheories: [],
  timeline: [],
});

const running: IncidentSummarizer[] = [];
function start(
  writer: ViewWriter,
  store: SummarizerStore,
  model: CommanderModel | null,
  breaker = new Breaker({ threshold: 3, cooldownMs: 60_000, maxCooldownMs: 60_000 }),
) {
  const s = new IncidentSummarizer(
    writer,
    { store, log: createLogger('silent'), metrics: new Metrics(), config: CONFIG, model },
    breaker,
  );
  running.push(s);
  s.start();
  return s;
}
const statusOf = (doc: Y.Doc): SummarizerStatus | null => readView(doc, 'summarizer');

afterEach(() => {
  for (const s of running.splice(0)) s.stop();
});

describe('incident summarizer', () => {
  it('runs on the new entries and records the run: view, tokens and status', async () => {
    const { doc, entry } = incidentDoc();
    const store = storeOf();
    const s = start(writerOf(doc), store, modelOf(brief));
    await s.settled();
    const view = readView(doc, 'commander');
    expect(view).toMatchObject({
      headline: { cites: [entry.id] },
      watermark: entry.id,
      seq: 7,
      model: 'claude-test',
      droppedItems: 1,
    });
    expect(view?.warnings).toEqual([]); // it cited an entry that does not exist
    expect(store.runs).toEqual([
      expect.objectContaining({
        incidentId: 'inc-1',
        watermark: entry.id,
        inputTokens: 100,
        outputTokens: 20,
        error: null,
      }),
    ]);
    expect(statusOf(doc)).toMatchObject({
      state: 'idle',
      runs: 1,
      lastError: null,
      tokensThisHour: 120,
      model: 'claude-test',
    });
  });

  it('says why it does not run: no model, paused, over the hourly budget', async () => {
    const off = incidentDoc().doc;
    await start(writerOf(off), storeOf(), null).settled();
    expect(statusOf(off)).toMatchObject({ state: 'off', reason: expect.stringMatching(/ANTHROPIC_API_KEY/) });

    const paused = incidentDoc().doc;
    const model = modelOf(brief);
    await start(writerOf(paused), storeOf({ paused: true }), model).settled();
    expect(statusOf(paused)).toMatchObject({ state: 'paused' });

    const spent = incidentDoc().doc;
    start(writerOf(spent), storeOf({ used: CONFIG.tokensPerHour }), model); // retried in five minutes: not settled
    await vi.waitFor(() =>
      expect(statusOf(spent)).toMatchObject({
        state: 'over_budget',
        reason: expect.stringMatching(/tokens used in the last hour/),
      }),
    );
    expect(model.calls).toBe(0);
  });

  it('writes nothing while another node holds the views', async () => {
    const { doc } = incidentDoc();
    const writer = writerOf(doc, false);
    const model = modelOf(brief);
    await start(writer, storeOf(), model).settled();
    expect([writer.writes, model.calls]).toEqual([[], 0]);
  });

  it('records a bad answer as a failure, keeps no view, and opens the breaker after three', async () => {
    const { doc } = incidentDoc();
    const store = storeOf();
    const breaker = new Breaker({ threshold: 3, cooldownMs: 60_000, maxCooldownMs: 60_000 });
    start(
      writerOf(doc),
      store,
      modelOf(() => brief('01ZZZZZZZZZZZZZZZZZZZZZZZZ')),
      breaker,
    ); // the headline cites nothing real
    await vi.waitFor(
      () => expect(statusOf(doc)).toMatchObject({ state: 'breaker_open', reason: 'repeated failures' }),
      { timeout: 5_000 },
    );
    expect(readView(doc, 'commander')).toBeNull();
    expect(store.runs).toHaveLength(3);
    expect(
      store.runs.every(
        (r) => r.view === null && /headline cites entries that do not exist/.test(r.error ?? ''),
      ),
    ).toBe(true);
    expect(statusOf(doc)).toMatchObject({ runs: 3, lastError: expect.stringMatching(/headline/) });
    expect(breaker.isOpen).toBe(true);
  });

  it('runs again after new entries land', async () => {
    const { doc } = incidentDoc();
    const model = modelOf(brief);
    const store = storeOf();
    const s = start(writerOf(doc), store, model);
    await s.settled();
    const later: Entry = {
      v: 1,
      id: newEntryId(),
      kind: 'note',
      body: 'rolled back',
      author: { id: 'a', name: 'Ann', kind: 'human' },
      at: new Date().toISOString(),
    };
    store.landed.add(later.id);
    entriesMap(doc).set(later.id, later);
    await vi.waitFor(() => expect(model.calls).toBe(2));
    await s.settled();
    expect(statusOf(doc)).toMatchObject({ state: 'idle', runs: 2 });
    expect(readView(doc, 'commander')).toMatchObject({
      watermark: later.id,
      headline: { cites: [later.id] },
    });
  });
});
