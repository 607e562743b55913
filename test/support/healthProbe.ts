// Watches a node answer /healthz while something heavy runs: one request every `everyMs`, each
// with its wall time and the CPU the process's main thread (the event loop) spent meanwhile.
// A late answer while the main thread ran little means this busy machine ran something else
// first; one while it ran for as long means a task held the event loop.
import { readFileSync } from 'node:fs';

export interface HealthSample {
  wallMs: number;
  /** CPU time of the main thread (the event loop) during the request, in 10 ms ticks (Linux). */
  loopCpuMs: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** The main thread's CPU time so far (its task in /proc has the process's id), or NaN off Linux. */
function loopCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime
  } catch {
    return Number.NaN;
  }
}

/** Samples `${baseUrl}/healthz` every `everyMs` until `work` settles; resolves with both. */
export async function probeHealth<T>(baseUrl: string, work: Promise<T>, everyMs = 20): Promise<{ result: T; samples: HealthSample[] }> {
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  const samples: HealthSample[] = [];
  while (!done) {
    const cpu = loopCpuMs();
    const start = performance.now();
    const res = await fetch(`${baseUrl}/healthz`);
    if (!res.ok) throw new Error(`/healthz answered ${res.status}`);
    await res.arrayBuffer();
    samples.push({ wallMs: performance.now() - start, loopCpuMs: loopCpuMs() - cpu });
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return { result: await settled, samples };
}

/**
 * The samples that waited more than `boundMs` while the event loop itself was busy for more than
 * `boundMs`: a task on the loop held the answer. (Without per-thread CPU times, any late one.)
 */
export function stalls(samples: readonly HealthSample[], boundMs: number): HealthSample[] {
  return samples.filter((s) => s.wallMs > boundMs && !(s.loopCpuMs <= boundMs));
}
