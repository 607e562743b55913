// Watches a node answer /healthz while something heavy runs: one request every `everyMs`, each
// with its wall time, the CPU the node's main thread (the event loop) spent meanwhile, and the
// longest the node's own event loop was late meanwhile (its /metrics, prom-client's lag monitor).
// A late answer while the main thread ran little means this busy machine ran something else
// first; one while it ran for as long means the loop was busy, and the loop's own lag tells one
// task that held it from many short ones it took in turn (four readers' pages, the answer's own
// turns) on an overloaded machine.
import { readFileSync } from 'node:fs';

export interface HealthSample {
  /** From when the request was due to its answer. */
  wallMs: number;
  /** CPU time of the main thread (the event loop) over the same span, in 10 ms ticks (Linux). */
  loopCpuMs: number;
  /** The node's longest event-loop delay since the sample before (10 ms resolution), or NaN unasked. */
  loopLagMs: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** A process's main thread's CPU time so far (its task in /proc has the process's id), or NaN off Linux. */
function loopCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime
  } catch {
    return Number.NaN;
  }
}

/** The node's longest event-loop delay since it was last asked (prom-client resets it), in ms. */
async function loopLagMs(baseUrl: string): Promise<number> {
  const res = await fetch(`${baseUrl}/metrics`);
  const max = /^sitrep_nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(await res.text());
  return max ? Number(max[1]) * 1000 : Number.NaN;
}

/** How a probe samples: every `everyMs`; the node is process `pid`; `loopLag` also reads its lag. */
export interface ProbeOptions {
  everyMs?: number;
  pid?: number;
  /** Read the node's event-loop lag after each sample (one /metrics scrape, a query, each time). */
  loopLag?: boolean;
}

/**
 * Samples `${baseUrl}/healthz` every `everyMs` until `work` settles; resolves with both. The node
 * is process `pid` (by default this one). When the probe shares the event loop it watches, each
 * sample is timed from when it was due, not from when the loop let it start, and the loop's CPU
 * is counted over the same span: a task that held the loop while the probe slept between
 * requests delays the next sample's start, and a request sent at that moment would have waited
 * as long. But then the test's own work (building and reading large bodies, and collecting their
 * garbage) counts as the node's too: a node in a process of its own is watched from outside.
 */
export async function probeHealth<T>(
  baseUrl: string,
  work: Promise<T>,
  { everyMs = 20, pid = process.pid, loopLag = false }: ProbeOptions = {},
): Promise<{ result: T; samples: HealthSample[] }> {
  const lag = () => (loopLag ? loopLagMs(baseUrl) : Number.NaN);
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  const samples: HealthSample[] = [];
  await lag(); // from here on
  let due = performance.now();
  let cpu = loopCpuMs(pid);
  while (!done) {
    const res = await fetch(`${baseUrl}/healthz`);
    if (!res.ok) throw new Error(`/healthz answered ${res.status}`);
    await res.arrayBuffer();
    const now = performance.now();
    const cpuNow = loopCpuMs(pid);
    samples.push({ wallMs: now - due, loopCpuMs: cpuNow - cpu, loopLagMs: await lag() });
    await new Promise((r) => setTimeout(r, everyMs));
    due = now + everyMs;
    cpu = cpuNow;
  }
  return { result: await settled, samples };
}

/**
 * The samples that waited more than `boundMs` while the event loop itself was busy for more than
 * `boundMs` and was late by more than `boundMs` at once: a task on the loop held the answer.
 * (Without per-thread CPU times or the lag, any late one.)
 */
export function stalls(samples: readonly HealthSample[], boundMs: number): HealthSample[] {
  return samples.filter((s) => s.wallMs > boundMs && !(s.loopCpuMs <= boundMs) && !(s.loopLagMs <= boundMs));
}
