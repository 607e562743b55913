// How "seen before" ranks, over real HTTP on PGlite and Postgres: words found by their stems in
// other forms, and a past incident brought up by its cause being like the best match's although
// it shares almost no words with the incident asked about (server/src/memory/ranking.ts).
import { type Entry, newEntryId } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEntry } from '../support/clients.js';
import { BACKENDS, type Fixture, startFixture } from '../support/server.js';

describe.each(BACKENDS)('seen before ranking on %s', (backend) => {
  let t: Fixture;
  const entry = (kind: Entry['kind'], fields: Partial<Entry>): Entry =>
    makeEntry(kind, { id: newEntryId(), ...fields });
  const incident = async (title: string, entries: Entry[]) => {
    const id = (await t.api.createIncident({ title })).incident.id;
    await t.api.appendEntries(id, { entries });
    return id;
  };
  /** A past incident: findings, then a theory confirmed by a decision. */
  const past = (title: string, findings: string[], cause: string, decision: string) => {
    const theory = entry('theory', { title: cause, body: findings[0] ?? '' });
    return incident(title, [
      ...findings.map((body) => entry('finding', { body })),
      theory,
      entry('decision', {
        title: decision,
        body: cause,
        refs: [theory.id],
        tags: ['confirms'],
        rationale: cause,
      }),
    ]);
  };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startFixture(backend);
    ids.bgp = await past(
      'Cross-zone traffic failing and etcd leader elections every few seconds',
      [
        'etcd logs `rafthttp: failed to read from peer` and elects a new leader every few seconds.',
        'The core routers log BGP adjacency changes towards the zone-b switches; BFD sessions flap.',
      ],
      'A network partition between the zones split the cluster: the BGP session to zone-b is flapping',
      'Cause: faulty optic partitioned zone-b',
    );
    ids.splitBrain = await past(
      'Split brain in the session-store cluster',
      [
        'Users logged out at random; session-store has two primaries.',
        'The transit link between dc1 and dc2 was down; a new leader was promoted in dc2.',
      ],
      'The network partition split the cluster and both sides took writes',
      'Cause: network partition between data centres caused split brain',
    );
    ids.dns = await past(
      'Lookups failing across the cluster',
      ['CoreDNS pods are throttled at their CPU limit.', 'SERVFAIL answers climb with the node count.'],
      'CoreDNS is under-provisioned for the cluster size',
      'Scale CoreDNS to six replicas',
    );
    ids.pool = await past(
      'Checkout stalls during a stop-the-world pause',
      [
        'payments-db refuses connections: max_connections reached, pg_stat_activity shows idle sessions.',
        'A cluster-wide retry storm after the pause.',
      ],
      'The pool leaks sessions until max_connections is reached',
      'Cap the pool below max_connections',
    );
    ids.other = await past(
      'Invoices rounded wrongly',
      ['Totals are off by a cent on invoices with many lines.'],
      'Rounding per line instead of per invoice',
      'Round once per invoice',
    );
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('finds a word in another form by its stem', async () => {
    const id = await incident('Name resolution slow', [
      entry('finding', { body: 'CoreDNS throttling again, and servfail rates climbing on every node.' }),
    ]);
    const { related } = await t.api.related(id);
    expect(related[0]?.incident.id).toBe(ids.dns);
    // Why says it as a person reads it: the pair, not its words again.
    expect(related[0]?.why.terms).toEqual(expect.arrayContaining(['coredns throttling']));
    expect(related[0]?.why.terms).not.toContain('throttling');
  });

  it('names services apart from identifiers and prose, each once', async () => {
    const id = await incident('Checkout stalls again', [
      entry('finding', {
        body: 'payments-db at max_connections; pg_stat_activity full after a stop-the-world pause, cluster-wide.',
      }),
    ]);
    const { related } = await t.api.related(id);
    expect(related[0]?.incident.id).toBe(ids.pool);
    expect(related[0]?.why.services).toEqual(['payments-db']);
    const terms = related[0]?.why.terms ?? [];
    expect(terms).toEqual(expect.arrayContaining(['max_connections', 'pg_stat_activity']));
    expect(terms.filter((t) => t === 'max_connections')).toHaveLength(1);
  });

  it('brings up a past incident whose cause is like the best match’s, after it', async () => {
    const id = await incident('Kubernetes API timeouts and etcd elections', [
      entry('finding', {
        body: 'etcd: leader changed 25 times in ten minutes; `rafthttp: failed to read from peer`.',
      }),
      entry('finding', { body: 'Router: BGP adjacency down towards zone-b, BFD flapping.' }),
    ]);
    const { related } = await t.api.related(id);
    expect(related.map((r) => r.incident.id)).toEqual([ids.bgp, ids.splitBrain]);
    expect(related[1]?.score).toBeLessThanOrEqual(related[0]?.score ?? 0);
    // Why says so: the split brain was raised for its cause, like the BGP incident's.
    expect(related[0]?.why.cause).toBeUndefined();
    expect(related[1]?.why.cause).toEqual({
      incident: ids.bgp,
      terms: expect.arrayContaining(['network partition']),
    });
    expect(related[1]?.why.cause?.terms).not.toContain('cause');
  });
});
