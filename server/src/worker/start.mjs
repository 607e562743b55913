// Starts a worker thread's TypeScript body (its URL in workerData.module): worker threads do
// not inherit the main thread's tsx hooks, so the worker registers them itself (as
// bin/sitrep.js does) before it loads the body.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
