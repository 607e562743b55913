// The update log's contract (test/support/updateLogContract.ts) on the store, on both storages,
// and on the log in memory that the room's unit tests use.
import { newIncidentKey } from '@sitrep/shared/sanitizer';
import { openStore } from '../../server/src/store/Store.js';
import { MemoryLog } from '../support/memoryLog.js';
import { BACKENDS, testStorage } from '../support/server.js';
import { updateLogContract } from '../support/updateLogContract.js';

for (const backend of BACKENDS) {
  updateLogContract(`the store on ${backend}`, async () => {
    const storage = await testStorage(backend);
    const store = await openStore({ dataDir: storage.dataDir, databaseUrl: storage.databaseUrl });
    let incidents = 0;
    return {
      log: store,
      async newIncident() {
        const id = `contract-${++incidents}`;
        const createdAt = new Date().toISOString();
        const meta = {
          title: id,
          severity: 'SEV3',
          status: 'investigating',
          kind: 'incident',
          createdAt,
        } as const;
        await store.createIncident(id, meta, [], { sanitizerKey: newIncidentKey() });
        return id;
      },
      async close() {
        await store.close();
        await storage.remove();
      },
    };
  });
}

updateLogContract(
  'the log in memory',
  async () => {
    const memory = new MemoryLog();
    let incidents = 0;
    return {
      log: memory,
      async newIncident() {
        const id = `contract-${++incidents}`;
        memory.create(id);
        return id;
      },
      close: async () => {},
    };
  },
  { database: false },
);
