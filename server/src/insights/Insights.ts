// Outcome figures as the API answers them: the store's figure rows (row facts, milestone times,
// entry figures kept per log position) beside each incident's AI usage sums, priced at list
// prices, then the pure figures of shared/src/insights.ts. Per request, for the reader's token.
import {
  type IncidentFiguresResponse,
  type InsightsQuery,
  type InsightsResponse,
  aiFigures,
  incidentFigures,
  insightsOf,
} from '@sitrep/shared';
import type { FigureRow } from '../store/OutcomeFigures.js';
import type { Store } from '../store/Store.js';
import type { Reader } from '../store/visibility.js';
import { incidentUsage } from '../usage/incidentUsage.js';
import type { PriceTable } from '../usage/prices.js';

export class Insights {
  constructor(
    private readonly store: Pick<Store, 'figures' | 'usage' | 'summaries'>,
    private readonly prices: PriceTable,
  ) {}

  /** One incident's figures (its reader was checked by the caller); null when there is none. */
  async ofIncident(id: string): Promise<IncidentFiguresResponse | null> {
    const row = await this.store.figures.ofIncident(id);
    if (!row) return null;
    const [figures] = await this.figuresOf([row]);
    return figures ? { ...figures, humans: row.entries.humans, harnesses: row.entries.harnesses } : null;
  }

  /** The figures across the incidents `reader` may read that the query admits. */
  async across(reader: Reader, q: InsightsQuery): Promise<InsightsResponse> {
    return insightsOf(q, await this.figuresOf(await this.store.figures.rows(reader, q)));
  }

  private async figuresOf(rows: readonly FigureRow[]) {
    const ids = rows.map((r) => r.facts.id);
    const [harness, summarizer] = await Promise.all([
      this.store.usage.harnessUsageOf(ids),
      this.store.summaries.usageOf(ids),
    ]);
    return rows.map(({ facts, entries }) => {
      const usage = incidentUsage(
        facts.id,
        harness.get(facts.id) ?? [],
        summarizer.get(facts.id) ?? [],
        this.prices,
      );
      return incidentFigures(facts, entries, aiFigures(usage));
    });
  }
}
