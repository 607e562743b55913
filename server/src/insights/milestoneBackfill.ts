// Incidents made before the milestone columns (migration 0019) get them in the background, so
// insights count their times without waiting for their rooms to load: each one's meta is read
// from its document, rebuilt in the document worker off the event loop, and mirrored unless a
// room mirrored it first. One incident at a time with I/O let through between; idempotent (only
// rows still unmirrored are read or written), so a restart, or another node, picks up the rest.
import { metaAt } from '../export/exportIncident.js';
import type { Store } from '../store/Store.js';

/** Incidents asked for per statement. */
const PAGE = 50;

/** Lets sockets and timers run between incidents: PGlite answers in microtasks. */
const betweenIncidents = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Fills the milestone columns of every incident without them, until none is left or `stopped()`; how many it filled. */
export async function backfillMilestones(
  store: Store,
  stopped: () => boolean = () => false,
): Promise<number> {
  let after = '';
  let filled = 0;
  while (!stopped()) {
    const page = await store.unmirrored(after, PAGE);
    if (page.length === 0) break;
    for (const { id, lastSeq } of page) {
      if (stopped()) break;
      await betweenIncidents();
      // Past it either way: an incident whose document has no meta is not read again this run.
      after = id;
      const meta = await metaAt(store, id, lastSeq);
      if (meta && (await store.fillMilestones(id, meta))) filled++;
    }
  }
  return filled;
}
