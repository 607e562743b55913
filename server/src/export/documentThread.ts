// The node's document worker thread: exports, replays and import checks run there, one step at
// a time, off the event loop. A slow client holds only its own body's next chunk.
import { WorkerThread } from '../worker/WorkerThread.js';
import type { documentJobs } from './documentJobs.js';

export const documentThread = new WorkerThread<typeof documentJobs>(
  new URL('./documentWorker.ts', import.meta.url),
  'document',
);
