// The update log's contract (server/src/store/UpdateLog.ts) as one suite of cases, run the same
// on every implementation: the store on PGlite and on Postgres, and a log kept in memory. What a
// room relies on is said here once; an implementation that passes can stand in for another.
import { randomBytes } from 'node:crypto';
import { SitrepError } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogAppend, LogRow, UpdateLog } from '../../server/src/store/UpdateLog.js';
import { makeEntry } from './clients.js';

/** An implementation under test. */
export interface LogUnderTest {
  log: UpdateLog;
  /** A new incident whose log is empty. */
  newIncident(): Promise<string>;
  /** Closes the log and what it stands on: calls after this must refuse. */
  close(): Promise<void>;
}

/** An update's bytes as the log sees them: opaque (the room gives it Yjs updates). */
const update = (size = 64): Uint8Array => new Uint8Array(randomBytes(size));
const plain = (bytes: Uint8Array): LogAppend => ({ bytes, entries: [] });
const rows = (seqs: readonly number[], bytes: readonly Uint8Array[]): LogRow[] =>
  seqs.map((seq, i) => ({ seq, bytes: bytes[i] as Uint8Array }));
/** Rows compared by content, whatever typed-array class each implementation hands back. */
const comparable = (r: readonly LogRow[]) =>
  r.map((row) => ({ seq: row.seq, bytes: Buffer.from(row.bytes).toString('hex') }));

/**
 * Runs the contract's cases on the logs `open` makes (one for the whole suite). `database: false`
 * for a log with no database under it: the case of the database going away is not registered.
 */
export function updateLogContract(
  name: string,
  open: () => Promise<LogUnderTest>,
  opts = { database: true },
): void {
  describe(`the update log contract on ${name}`, () => {
    let t: LogUnderTest;
    let log: UpdateLog;
    let closed = false;
    beforeAll(async () => {
      t = await open();
      log = t.log;
    });
    afterAll(() => (closed ? undefined : t?.close()));

    it('appends a group commit in order and reads it back', async () => {
      const id = await t.newIncident();
      const bytes = [update(), update(10), update(3000)];
      expect(await log.appendUpdates(id, bytes.map(plain))).toEqual([1, 2, 3]);
      expect(comparable(await log.readLog(id))).toEqual(comparable(rows([1, 2, 3], bytes)));
      expect(await log.lastSeqs([id, 'no-such-incident'])).toEqual(new Map([[id, 3]]));
    });

    it('appends a group commit too large for one statement whole, each row where it was numbered', async () => {
      const id = await t.newIncident();
      // Three 5 MiB updates: the store writes more than 8 MiB of updates in several statements
      // of one transaction, here one each.
      const bytes = [update(5 << 20), update(5 << 20), update(5 << 20)];
      expect(await log.appendUpdates(id, bytes.map(plain))).toEqual([1, 2, 3]);
      expect(comparable(await log.readLog(id))).toEqual(comparable(rows([1, 2, 3], bytes)));
      expect((await log.lastSeqs([id])).get(id)).toBe(3);
      expect(await log.appendUpdates(id, [plain(update())])).toEqual([4]);
    }, 60_000);

    it('reads after a sequence number, up to one', async () => {
      const id = await t.newIncident();
      const bytes = [update(), update(), update(), update(), update()];
      expect(await log.appendUpdates(id, bytes.slice(0, 2).map(plain))).toEqual([1, 2]);
      expect(await log.appendUpdates(id, bytes.slice(2).map(plain))).toEqual([3, 4, 5]);
      expect(comparable(await log.readLog(id, 2))).toEqual(comparable(rows([3, 4, 5], bytes.slice(2))));
      expect(comparable(await log.readLog(id, 1, 3))).toEqual(comparable(rows([2, 3], bytes.slice(1, 3))));
      expect(await log.readLog(id, 5)).toEqual([]);
      expect(await log.readLog(id, 0, 0)).toEqual([]);
    });

    it('gives group commits that race each other disjoint runs of sequence numbers, each row where it was numbered', async () => {
      const id = await t.newIncident();
      const groups = Array.from({ length: 6 }, () => [update(), update()]);
      const seqs = await Promise.all(groups.map((g) => log.appendUpdates(id, g.map(plain))));
      for (const run of seqs) expect(run[1]).toBe((run[0] ?? 0) + 1);
      expect(seqs.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      const expected = seqs.flatMap((run, g) => rows(run, groups[g] ?? [])).sort((a, b) => a.seq - b.seq);
      expect(comparable(await log.readLog(id))).toEqual(comparable(expected));
      expect((await log.lastSeqs([id])).get(id)).toBe(12);
    });

    it('appends nothing for an empty group, and refuses an incident that does not exist', async () => {
      const id = await t.newIncident();
      expect(await log.appendUpdates(id, [])).toEqual([]);
      await expect(log.appendUpdates('no-such-incident', [plain(update())])).rejects.toMatchObject({
        code: 'incident.not_found',
      });
      expect(await log.lastSeqs([id])).toEqual(new Map([[id, 0]]));
    });

    it('refuses a group that writes an entry id again, whole, as a conflict, and leaves no gap', async () => {
      const id = await t.newIncident();
      const entry = makeEntry('finding');
      const again = makeEntry('note');
      expect(await log.appendUpdates(id, [{ bytes: update(), entries: [entry] }])).toEqual([1]);
      const retried = log.appendUpdates(id, [
        { bytes: update(), entries: [again] },
        { bytes: update(), entries: [entry] },
      ]);
      await expect(retried).rejects.toBeInstanceOf(SitrepError);
      await expect(retried).rejects.toMatchObject({ code: 'storage.conflict' });
      expect((await log.readLog(id)).map((r) => r.seq)).toEqual([1]);
      // Nothing of the refused group was kept: its other entry goes in now, at the next number.
      expect(await log.appendUpdates(id, [{ bytes: update(), entries: [again] }])).toEqual([2]);
      // An entry id is taken per incident.
      const other = await t.newIncident();
      expect(await log.appendUpdates(other, [{ bytes: update(), entries: [entry] }])).toEqual([1]);
    });

    it('keeps whose each Yjs client id is, and refuses a claim of someone else’s as a conflict', async () => {
      const id = await t.newIncident();
      expect(await log.clientOwners(id)).toEqual(new Map());
      const claims = [
        { client: 7, tokenId: 'tok-a' },
        { client: 8, tokenId: null },
      ];
      await log.appendUpdates(id, [{ bytes: update(), entries: [], tokenId: 'tok-a', claims }]);
      expect(await log.clientOwners(id)).toEqual(
        new Map<number, string | null>([
          [7, 'tok-a'],
          [8, null],
        ]),
      );
      expect(await log.clientOwners(id, [8, 9])).toEqual(new Map([[8, null]]));
      // The owner claiming its own id again is no conflict.
      expect(
        await log.appendUpdates(id, [
          {
            bytes: update(),
            entries: [],
            tokenId: 'tok-a',
            claims: [claims[0] ?? { client: 7, tokenId: 'tok-a' }],
          },
        ]),
      ).toEqual([2]);
      await expect(
        log.appendUpdates(id, [
          plain(update()),
          {
            bytes: update(),
            entries: [],
            tokenId: 'tok-b',
            claims: [
              { client: 7, tokenId: 'tok-b' },
              { client: 9, tokenId: 'tok-b' },
            ],
          },
        ]),
      ).rejects.toMatchObject({ code: 'storage.conflict' });
      expect((await log.lastSeqs([id])).get(id)).toBe(2);
      expect(await log.clientOwners(id)).toEqual(
        new Map<number, string | null>([
          [7, 'tok-a'],
          [8, null],
        ]),
      );
      expect(await log.clientOwners(await t.newIncident())).toEqual(new Map());
    });

    it('keeps snapshots apart from the log, and gives the newest, or the newest at or before a point', async () => {
      const id = await t.newIncident();
      await log.appendUpdates(id, [update(), update(), update(), update()].map(plain));
      expect(await log.latestSnapshot(id)).toBeNull();
      expect(await log.latestSnapshotSeq(id)).toBeNull();
      const early = update(500);
      const earlyParts = await log.writeSnapshot(id, 2, early);
      // Larger than a stored part (1 MiB): read back from several.
      const late = update(1_500_000);
      const lateParts = await log.writeSnapshot(id, 4, late);
      expect(lateParts.length).toBeGreaterThan(1);
      expect(await log.latestSnapshotSeq(id)).toBe(4);
      expect(await log.latestSnapshotSeq(id, 3)).toBe(2);
      expect(await log.latestSnapshotSeq(id, 1)).toBeNull();
      const newest = await log.latestSnapshot(id);
      expect(newest?.seq).toBe(4);
      expect(newest?.state.pieces.length).toBe(lateParts.length); // inflated, not joined yet
      expect(newest?.state.byteLength).toBe(late.byteLength);
      expect(Buffer.from(newest?.state.bytes ?? []).equals(Buffer.from(late))).toBe(true);
      expect(newest?.parts.map((p) => Buffer.from(p).toString('hex'))).toEqual(
        lateParts.map((p) => Buffer.from(p).toString('hex')),
      );
      const before = await log.latestSnapshot(id, 3);
      expect(before?.seq).toBe(2);
      expect(Buffer.from(before?.state.bytes ?? []).equals(Buffer.from(early))).toBe(true);
      expect(before?.parts.map((p) => Buffer.from(p).toString('hex'))).toEqual(
        earlyParts.map((p) => Buffer.from(p).toString('hex')),
      );
      expect(await log.latestSnapshot(id, 1)).toBeNull();
      // A snapshot replaces no rows.
      expect((await log.readLog(id)).map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    });

    it('reads back a snapshot of many pages whole and in order (Postgres reads several at once)', async () => {
      const id = await t.newIncident();
      await log.appendUpdates(id, [plain(update())]);
      const state = update(18 << 20); // 18 parts: five pages of 4 MiB on Postgres, more than are read at once
      const parts = await log.writeSnapshot(id, 1, state);
      expect(parts.length).toBeGreaterThan(16);
      const read = await log.latestSnapshot(id);
      expect(read?.parts.map((p, i) => Buffer.compare(p, parts[i] ?? new Uint8Array()))).toEqual(
        parts.map(() => 0),
      );
      expect(Buffer.compare(read?.state.bytes ?? new Uint8Array(), state)).toBe(0);
    });

    it('purges: rewrites the rows in order, drops the snapshots, appends the final update', async () => {
      const id = await t.newIncident();
      const entry = makeEntry('finding');
      const bytes = [update(), update(), update()];
      await log.appendUpdates(id, [
        plain(bytes[0] ?? update()),
        { bytes: bytes[1] ?? update(), entries: [entry] },
        plain(bytes[2] ?? update()),
      ]);
      await log.writeSnapshot(id, 3, update());
      const seen: string[] = [];
      const cut = update(8);
      const final = update(16);
      const result = await log.purgeEntry(
        id,
        entry.id,
        (b) => {
          seen.push(Buffer.from(b).toString('hex'));
          return Buffer.from(b).equals(Buffer.from(bytes[1] ?? [])) ? cut : null;
        },
        final,
        { tokenId: 'tok-admin', reason: 'a leaked key' },
      );
      expect(result).toEqual({ seq: 4, rewritten: 1 });
      expect(seen).toEqual(bytes.map((b) => Buffer.from(b).toString('hex')));
      expect(comparable(await log.readLog(id))).toEqual(
        comparable(rows([1, 2, 3, 4], [bytes[0] ?? update(), cut, bytes[2] ?? update(), final])),
      );
      expect(await log.latestSnapshot(id)).toBeNull();
      expect((await log.lastSeqs([id])).get(id)).toBe(4);
      // The next commit numbers on from the purge's row.
      expect(await log.appendUpdates(id, [plain(update())])).toEqual([5]);
      await expect(
        log.purgeEntry('no-such-incident', entry.id, () => null, final, {
          tokenId: 'tok-admin',
          reason: 'x',
        }),
      ).rejects.toMatchObject({
        code: 'incident.not_found',
      });
    });

    it('refuses a snapshot of a state from before the last purge', async () => {
      const id = await t.newIncident();
      await log.appendUpdates(id, [update(), update()].map(plain));
      const { seq } = await log.purgeEntry(id, makeEntry().id, () => null, update(), {
        tokenId: 'tok-admin',
        reason: 'a leak',
      });
      expect(seq).toBe(3);
      await expect(log.writeSnapshot(id, 2, update())).rejects.toMatchObject({ code: 'storage.conflict' });
      expect(await log.latestSnapshot(id)).toBeNull();
      await log.writeSnapshot(id, 3, update());
      expect((await log.latestSnapshot(id))?.seq).toBe(3);
    });

    // Last: it closes the log the cases share (opening another costs a PGlite start).
    if (opts.database)
      it('refuses every call once its database is gone, as storage.unavailable, never with a driver’s error', async () => {
        const id = await t.newIncident();
        closed = true;
        await t.close();
        const calls: [string, () => Promise<unknown>][] = [
          ['appendUpdates', () => log.appendUpdates(id, [plain(update())])],
          ['readLog', () => log.readLog(id)],
          ['lastSeqs', () => log.lastSeqs([id])],
          ['latestSnapshot', () => log.latestSnapshot(id)],
          ['writeSnapshot', () => log.writeSnapshot(id, 1, update())],
          ['clientOwners', () => log.clientOwners(id)],
          [
            'purgeEntry',
            () =>
              log.purgeEntry(id, makeEntry().id, () => null, update(), { tokenId: 'tok-admin', reason: 'x' }),
          ],
        ];
        for (const [method, call] of calls) {
          const err = await call().then(
            () => null,
            (e: unknown) => e,
          );
          expect(err, method).toBeInstanceOf(SitrepError);
          expect(err, method).toMatchObject({ code: 'storage.unavailable' });
        }
      });
  });
}
