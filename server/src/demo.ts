// The demo incident that `sitrep serve --demo` starts with: a realistic checkout outage with
// findings, two theories (one rejected), a decision, a gap and more, and the milestone times of
// a real one (impact a minute after the deploy, rolled back, watched, resolved), so its metrics
// show values. Ids are fixed, so seeding again adds nothing.
import type { Entry, EntryKind } from '@sitrep/shared';
import { DEFAULT_POLICY } from '@sitrep/shared/sanitizer';
import type { Logger } from 'pino';
import { encodeTime } from 'ulid';
import { createIncident } from './room/createIncident.js';
import type { RoomRegistry } from './room/RoomRegistry.js';
import type { Store } from './store/Store.js';

export const DEMO_INCIDENT_ID = 'demo';

const start = Date.parse('2026-11-24T13:58:00Z');
const at = (minute: number) => new Date(start + minute * 60_000).toISOString();

/** Impact began a minute after the 13:56 deploy; the alert fired at 13:58 (detection). */
export const DEMO_MILESTONES = {
  startedAt: at(-1),
  acknowledgedAt: at(3),
  /** Latency back to normal eight minutes after the rollback decision (minute 13). */
  mitigatedAt: at(21),
  resolvedAt: at(62),
} as const;
const people = {
  priya: { id: 'priya', name: 'Priya Raman', kind: 'harness', harness: 'claude-code' },
  marco: { id: 'marco', name: 'Marco Silva', kind: 'harness', harness: 'codex' },
  sam: { id: 'sam', name: 'Sam Okafor', kind: 'human' },
} as const;

/** A fixed ULID: the entry's minute, then a constant tail. */
const idAt = (minute: number, n: number) =>
  `${encodeTime(start + minute * 60_000, 10)}DEM0${String(n).padStart(12, '0')}`;

function demoEntry(
  n: number,
  minute: number,
  kind: EntryKind,
  who: keyof typeof people,
  fields: Omit<Partial<Entry>, 'v' | 'id' | 'kind' | 'author' | 'at'> & { body: string },
): Entry {
  return { v: 1, id: idAt(minute, n), kind, author: people[who], at: at(minute), ...fields };
}

const latency = demoEntry(1, 2, 'finding', 'priya', {
  body: 'Checkout p99 latency rose from 180 ms to 2.4 s from 13:57 UTC; error rate 3.8% (5xx from checkout-api).',
  evidence: [{ label: 'checkout latency dashboard', url: 'https://grafana.example.com/d/checkout' }],
  confidence: 'high',
});
const pool = demoEntry(2, 4, 'finding', 'marco', {
  body: 'payments-db primary connection pool is saturated: 100/100 in use, 340 waiters.',
  evidence: [{ label: 'pg_stat_activity', query: 'select state, count(*) from pg_stat_activity group by 1' }],
  confidence: 'high',
});
const deployTheory = demoEntry(3, 5, 'theory', 'priya', {
  title: 'Checkout deploy 2026.11.24-3 introduced an N+1 query',
  body: 'The deploy went out at 13:56, a minute before the spike; the cart loader was rewritten.',
  confidence: 'medium',
});
const processorTheory = demoEntry(4, 6, 'theory', 'marco', {
  title: 'The card processor is slow',
  body: 'Slow upstream calls would hold DB connections open while waiting.',
  confidence: 'low',
});
const queries = demoEntry(5, 9, 'finding', 'priya', {
  body: 'Queries per checkout request went from 12 to 140 after the deploy (pg_stat_statements, cart_items lookup per line).',
  refs: [deployTheory.id],
  confidence: 'high',
});
const processorOk = demoEntry(6, 10, 'finding', 'marco', {
  body: 'Outbound p99 to the card processor is steady at 210 ms; their status page is green.',
  refs: [processorTheory.id],
});
const rejectProcessor = demoEntry(7, 11, 'rejection', 'marco', {
  body: 'Processor latency is flat through the incident.',
  refs: [processorTheory.id],
  rationale: 'Outbound latency to the processor did not change; the pool is held by our own queries.',
});
const rollback = demoEntry(8, 13, 'decision', 'sam', {
  title: 'Roll back checkout to 2026.11.24-2',
  body: 'Rolling back now; Priya watches latency, Marco watches the pool.',
  refs: [deployTheory.id, queries.id, pool.id],
  rationale: 'The query count jump lines up with the deploy, and a rollback is low risk.',
});
const canaryGap = demoEntry(9, 15, 'gap', 'sam', {
  title: 'Why did the canary not catch the query increase?',
  body: 'Canary analysis passed at 13:54. Nobody has looked at what it measures yet.',
});
const dashboardExport = demoEntry(10, 16, 'dataset', 'priya', {
  title: 'Checkout latency 13:30-14:30',
  body: 'CSV export of p50/p95/p99 and error rate per minute.',
  evidence: [{ label: 'latency.csv', url: 'https://files.example.com/inc/demo/latency.csv' }],
});
const bridge = demoEntry(11, 17, 'transcript', 'sam', {
  body: 'Bridge: rollback approved by Sam (IC), ETA five minutes; comms to post a status page update.',
});
const canaryAction = demoEntry(12, 20, 'action', 'sam', {
  title: 'Add a query-count budget to canary analysis',
  body: 'Owner: Marco. Fail the canary when queries per request grow more than 2x.',
  tags: ['follow-up', 'owner:Marco Silva'],
});

export const DEMO_ENTRIES: readonly Entry[] = [
  latency,
  pool,
  deployTheory,
  processorTheory,
  queries,
  processorOk,
  rejectProcessor,
  rollback,
  canaryGap,
  dashboardExport,
  bridge,
  canaryAction,
];

/** Creates the demo incident if it is missing and makes sure it holds every demo entry. */
export async function seedDemo(store: Store, rooms: RoomRegistry, log: Logger): Promise<void> {
  if (!(await store.getIncident(DEMO_INCIDENT_ID))) {
    await createIncident(
      store,
      {
        id: DEMO_INCIDENT_ID,
        title: 'Checkout latency spike after deploy',
        severity: 'SEV2',
        status: 'resolved',
        commander: people.sam.name,
        detectedAt: at(0),
        ...DEMO_MILESTONES,
      },
      null,
      DEFAULT_POLICY, // the demo's own text, which holds no private data
      new Date(start),
    );
  }
  const room = await rooms.open(DEMO_INCIDENT_ID);
  const written = await room.appendEntries(DEMO_ENTRIES, 'server');
  log.info(
    { incident: DEMO_INCIDENT_ID, created: written.filter((w) => w.created).length },
    'demo incident ready',
  );
}
