import { describe, expect, it } from 'vitest';
import { MAX_HELD_COMMITS, Metrics } from './metrics.js';

/** The count of a histogram's observations, as the registry reports it. */
async function count(metrics: Metrics, name: string): Promise<number> {
  const found = /(\d+)$/m.exec(
    (await metrics.text()).split('\n').find((l) => l.startsWith(`${name}_count`)) ?? '',
  );
  return Number(found?.[1]);
}

describe('metrics', () => {
  it("reports every commit's time and size at the next scrape", async () => {
    const metrics = new Metrics();
    metrics.commitTook(0.003, 2);
    metrics.commitTook(0.2, 1);
    const text = await metrics.text();
    expect(text).toContain('sitrep_commit_seconds_bucket{le="0.005"} 1');
    expect(text).toContain('sitrep_commit_seconds_bucket{le="0.25"} 2');
    expect(text).toContain('sitrep_commit_batch_size_sum 3');
    expect(text).toContain('sitrep_commit_batch_size_count 2');
    metrics.commitTook(0.001, 4);
    expect(await count(metrics, 'sitrep_commit_seconds')).toBe(3);
    expect(await count(metrics, 'sitrep_commit_batch_size')).toBe(3);
  });

  it('holds fewer than MAX_HELD_COMMITS commits on a node nobody scrapes, and loses none', async () => {
    const metrics = new Metrics();
    const held = () => (metrics as unknown as { held: number[] }).held.length / 2;
    for (let i = 0; i < MAX_HELD_COMMITS * 3 + 5; i++) {
      metrics.commitTook(0.001, 1);
      expect(held()).toBeLessThan(MAX_HELD_COMMITS);
    }
    expect(await count(metrics, 'sitrep_commit_batch_size')).toBe(MAX_HELD_COMMITS * 3 + 5);
  });
});
