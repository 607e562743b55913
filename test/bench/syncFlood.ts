// Benchmark: what one viewer socket asking for the whole document costs a node. A real server
// (PGlite) holds an imported incident of 20,000 entries; a viewer in another process sends a
// 4-byte sync step 1 (an empty state vector), and the next as soon as each answer has come, for
// BENCH_SYNC_SECONDS (20), first with the node's default pacing and then with pacing lifted
// (SITREP_SYNC_REQUESTS_PER_MINUTE=1000000: the cached full state alone). Prints the answers it
// got, the bytes, the node's event-loop utilization and the worst /healthz wait meanwhile.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Entry, newEntryId } from '@sitrep/shared';
import { loadConfig } from '../../server/src/config.js';
import { createLogger } from '../../server/src/log.js';
import { startServer } from '../../server/src/main.js';
import { probeHealth } from '../support/healthProbe.js';
import { printTable } from './table.js';

const ENTRIES = 20_000;
const SECONDS = Number(process.env.BENCH_SYNC_SECONDS ?? 20);

/** The viewer, in a process of its own so its reading is not counted as the node's work. */
const VIEWER = `
const WebSocket = require('ws');
const [url, seconds] = process.argv.slice(1);
const ws = new WebSocket(url);
let answers = 0, bytes = 0;
const ask = () => ws.send(new Uint8Array([0, 0, 1, 0]));
ws.on('message', (d) => { if (d[0] === 0 && d[1] === 1) { answers++; bytes += d.length; ask(); } });
ws.on('open', () => {
  ask();
  ask();
  setTimeout(() => { console.log(JSON.stringify({ answers, bytes })); process.exit(0); }, Number(seconds) * 1000);
});
`;

function incident(): unknown {
  const createdAt = new Date(Date.now() - 3_600_000).toISOString();
  const entries: Entry[] = Array.from({ length: ENTRIES }, (_, i) => ({
    v: 1,
    id: newEntryId(),
    kind: 'finding',
    body: `finding ${i}: p99 latency on checkout rose to ${200 + (i % 500)} ms on shard ${i % 97} after deploy 4f2a`,
    author: {
      id: `responder-${i % 12}`,
      name: `Responder ${i % 12}`,
      kind: 'harness',
      harness: 'claude-code',
    },
    at: new Date().toISOString(),
    tags: ['checkout'],
  }));
  const metrics = {
    startedAt: createdAt,
    timeToDetectMs: null,
    timeToAcknowledgeMs: null,
    timeToMitigateMs: null,
    timeToResolveMs: null,
  };
  const meta = {
    title: 'A large incident',
    severity: 'SEV2',
    status: 'investigating',
    kind: 'incident',
    commander: null,
    createdAt,
  };
  return {
    format: 'sitrep.incident',
    version: 1,
    incident: { id: 'large', meta },
    entries,
    curation: {},
    commander: null,
    timeline: { events: [], metrics },
  };
}

async function run(what: string, env: Record<string, string>): Promise<string[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sitrep-bench-sync-'));
  const config = loadConfig({
    ...env,
    SITREP_PORT: '0',
    SITREP_DATA_DIR: dataDir,
    SITREP_LOG_LEVEL: 'silent',
  });
  const server = await startServer(config, createLogger('silent'));
  const token = server.bootstrap?.token ?? '';
  const res = await fetch(`${server.url}/api/incidents/import`, {
    method: 'POST',
    body: JSON.stringify(incident()),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  if (res.status !== 201) throw new Error(`import: ${res.status} ${await res.text()}`);
  const viewer = (await (
    await fetch(`${server.url}/api/tokens`, {
      method: 'POST',
      body: JSON.stringify({ role: 'viewer', label: 'viewer' }),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    })
  ).json()) as { token: string };
  const room = await server.rooms.open('large');
  await server.views.settled('large'); // the views of the import are written before the viewer comes
  await room.settle();
  const loop = performance.eventLoopUtilization();
  const child = spawn(
    process.execPath,
    ['-e', VIEWER, `${server.url.replace('http', 'ws')}/yjs/large?token=${viewer.token}`, String(SECONDS)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  const done = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const { samples } = await probeHealth(server.url, done, { everyMs: 100 });
  const used = performance.eventLoopUtilization(loop);
  const { answers, bytes } = JSON.parse(out) as { answers: number; bytes: number };
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
  return [
    what,
    String(answers),
    (bytes / 1e6).toFixed(0),
    used.utilization.toFixed(2),
    String(Math.round(Math.max(...samples.map((s) => s.wallMs)))),
  ];
}

printTable(
  [
    `one viewer asking again on each answer, ${SECONDS} s, ${ENTRIES} entries`,
    'answers',
    'MB sent',
    'event loop busy',
    'worst /healthz ms',
  ],
  [
    await run('default pacing', {}),
    await run('pacing lifted (the cache alone)', { SITREP_SYNC_REQUESTS_PER_MINUTE: '1000000' }),
  ],
);
