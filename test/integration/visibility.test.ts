// Who reads which incident (server/src/store/visibility.ts): the store's condition for every
// kind of reader, on PGlite and on Postgres.
import type { Role } from '@sitrep/shared';
import { newIncidentKey } from '@sitrep/shared/sanitizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Store, openStore } from '../../server/src/store/Store.js';
import type { Reader } from '../../server/src/store/visibility.js';
import { BACKENDS, type TestStorage, testStorage } from '../support/server.js';

const reader = (role: Role, incidentId: string | null = null, isolated = false): Reader => ({
  role,
  incidentId,
  isolated,
});

/** Readers by name, and the incidents (of `open`, `open2`, `secret`) each must read. */
const EXPECTED: [string, Reader, string[]][] = [
  ['an admin', reader('admin'), ['open', 'open2', 'secret']],
  ['an unscoped commander', reader('commander'), ['open', 'open2']],
  ['an unscoped viewer', reader('viewer'), ['open', 'open2']],
  ['a responder limited to open', reader('responder', 'open'), ['open', 'open2']],
  ['a responder limited to secret', reader('responder', 'secret'), ['open', 'open2', 'secret']],
  ['an admin limited to open', reader('admin', 'open'), ['open', 'open2']],
  ['an isolated responder of open', reader('responder', 'open', true), ['open']],
  ['an isolated viewer of secret', reader('viewer', 'secret', true), ['secret']],
  ['an isolated token with no incident', reader('viewer', null, true), []],
];

for (const backend of BACKENDS) {
  describe(`visibility in the store on ${backend}`, () => {
    let storage: TestStorage;
    let store: Store;
    beforeAll(async () => {
      storage = await testStorage(backend);
      store = await openStore({ dataDir: storage.dataDir, databaseUrl: storage.databaseUrl });
      for (const id of ['open', 'open2', 'secret']) {
        const meta = {
          title: `${id} title`,
          severity: 'SEV3',
          status: 'investigating',
          kind: 'incident',
        } as const;
        await store.createIncident(id, { ...meta, createdAt: new Date().toISOString() }, [], {
          sanitizerKey: newIncidentKey(),
          private: id === 'secret',
        });
      }
    });
    afterAll(async () => {
      await store.close();
      await storage.remove();
    });

    it.each(EXPECTED)('%s lists and reads exactly what it may', async (_name, r, may) => {
      const listed = await store.listIncidents({ limit: 500, archived: false, reader: r });
      expect(listed.incidents.map((i) => i.id).sort()).toEqual(may);
      for (const id of ['open', 'open2', 'secret', 'absent']) {
        const got = await store.readableIncident(id, r);
        expect(got?.id ?? null).toBe(may.includes(id) ? id : null);
      }
    });

    it('pages through only what the reader may read', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listIncidents({
          limit: 1,
          cursor,
          archived: false,
          reader: reader('viewer'),
        });
        seen.push(...page.incidents.map((i) => i.id));
        expect(JSON.stringify(page)).not.toContain('secret');
        cursor = page.next ?? undefined;
      } while (cursor);
      expect(seen.sort()).toEqual(['open', 'open2']);
    });

    it('says which incidents are private to those who may read them', async () => {
      expect((await store.readableIncident('secret', reader('admin')))?.private).toBe(true);
      expect((await store.readableIncident('open', reader('admin')))?.private).toBe(false);
    });
  });
}
