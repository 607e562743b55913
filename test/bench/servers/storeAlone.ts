// sitrep's store alone, opened and migrated, then idle: what the database side of an idle
// `sitrep serve` holds by itself (on PGlite, PGlite in this process). For BENCH=idle:
// `node --import tsx storeAlone.ts` with SITREP_DATA_DIR or DATABASE_URL set.
import { openStore } from '../../../server/src/store/Store.js';

await openStore({ dataDir: process.env.SITREP_DATA_DIR ?? '', databaseUrl: process.env.DATABASE_URL });
process.stdout.write('store open\n');
setInterval(() => {}, 60_000);
