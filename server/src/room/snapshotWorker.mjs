// Starts the snapshot worker: worker threads do not inherit the main thread's tsx hooks, so the
// worker registers them itself (as bin/sitrep.js does) and then loads its TypeScript body.
import { register } from 'tsx/esm/api';

register();
await import('./snapshotWorker.ts');
