// Outcome figures as the API answers them: the store's figure rows (row facts, milestone times,
// entry figures kept per log position, AI usage sums kept per usage count) with the usage priced
// at list prices, then the pure figures of shared/src/insights.ts. Per request, for the reader's
// token.
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
import { pricedUsage } from '../usage/incidentUsage.js';
import type { PriceTable } from '../usage/prices.js';

export class Insights {
  constructor(
    private readonly store: Pick<Store, 'figures'>,
    private readonly prices: PriceTable,
  ) {}

  /** One incident's figures (its reader was checked by the caller); null when there is none. */
  async ofIncident(id: string): Promise<IncidentFiguresResponse | null> {
    const row = await this.store.figures.ofIncident(id);
    if (!row) return null;
    return { ...this.figuresOf(row), humans: row.entries.humans, harnesses: row.entries.harnesses };
  }

  /** The figures across the incidents `reader` may read that the query admits. */
  async across(reader: Reader, q: InsightsQuery): Promise<InsightsResponse> {
    return insightsOf(
      q,
      (await this.store.figures.rows(reader, q)).map((r) => this.figuresOf(r)),
    );
  }

  private figuresOf({ facts, entries, usage }: FigureRow) {
    return incidentFigures(facts, entries, aiFigures(pricedUsage(usage, this.prices)));
  }
}
