// The snapshot worker's body (run by snapshots.ts in its own thread): rebuilds a document from a
// packed snapshot and the updates after it and returns its merged state, so the server's event
// loop never encodes a large document.
import * as Y from 'yjs';
import { unpackSnapshot } from '../store/snapshotCodec.js';
import { serveJobs } from '../worker/serveJobs.js';
import type { JobResult } from '../worker/jobMessages.js';

export const snapshotJobs = {
  async snapshot(job: { base: Uint8Array[]; tail: Uint8Array[] }): Promise<JobResult<Uint8Array>> {
    const doc = new Y.Doc();
    try {
      const base = await unpackSnapshot(job.base);
      doc.transact(() => {
        Y.applyUpdate(doc, base);
        for (const update of job.tail) Y.applyUpdate(doc, update);
      });
      const state = Y.encodeStateAsUpdate(doc);
      return { head: state, transfer: [state.buffer as ArrayBuffer] };
    } finally {
      doc.destroy();
    }
  },
};

serveJobs(snapshotJobs);
