// A harness process for the offline-queue test: `fill N` queues N entries on disk (no network),
// `flush` sends the queue. Run with node --import tsx; configured by SITREP_* variables.
import { NodeClient } from '@sitrep/shared/node';

const client = new NodeClient({
  url: process.env.SITREP_URL ?? '',
  token: process.env.SITREP_TOKEN ?? '',
  incident: process.env.SITREP_INCIDENT ?? '',
  author: { id: 'queue-worker', name: 'Queue Worker', kind: 'harness', harness: 'test' },
  stateDir: process.env.SITREP_STATE_DIR ?? '',
});
const [mode, n] = process.argv.slice(2);
if (mode === 'fill') {
  const entries = Array.from({ length: Number(n) }, (_, i) =>
    client.entry({ kind: 'finding', body: `queued finding ${i} ${'x'.repeat(300)}` }),
  );
  await client.queue.add(entries);
  console.log(`queued ${entries.length}`);
} else {
  const result = await client.flush();
  console.log(
    JSON.stringify({
      durable: result.durable.length,
      queued: result.queued.length,
      error: result.error ?? null,
    }),
  );
}
