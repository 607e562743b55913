// Outcome figures as the API answers them: the store's figure rows (row facts, milestone times,
// entry figures kept per log position, AI usage sums kept per usage count) with the usage priced
// at list prices, then the pure figures of shared/src/insights.ts. Per request, for the reader's
// token. The answers across incidents are kept, per class of reader and query, as JSON with the
// key of every row they were made of: a request reads the keys of the rows it admits, answers the
// kept JSON when they are the same, and otherwise makes figures again only of the rows whose key
// changed (the store's key covers all a row's figures are made of, so what is kept stays exact).
import {
  type IncidentFigures,
  type IncidentFiguresResponse,
  type InsightsQuery,
  aiFigures,
  incidentFigures,
  insightsOf,
} from '@sitrep/shared';
import type { FigureRow } from '../store/OutcomeFigures.js';
import type { Store } from '../store/Store.js';
import { type Reader, visibilityClass } from '../store/visibility.js';
import { pricedUsage } from '../usage/incidentUsage.js';
import type { PriceTable } from '../usage/prices.js';

/** Answers kept (classes of reader times queries), the least recently asked dropped first. */
const KEPT_ANSWERS = 8;

/** One incident's figures and the key of the row they were made of. */
interface KeptFigures {
  key: string;
  figures: IncidentFigures;
}

/** An answer across incidents: its JSON, and the figures it holds by incident id, in id order. */
interface KeptAnswer {
  /** Every `id key` pair it was made of, one a line in id order: equal pairs, equal answer. */
  stamp: string;
  json: string;
  rows: Map<string, KeptFigures>;
}

const stampOf = (rows: readonly { id: string; key: string }[]) =>
  rows.map((r) => `${r.id} ${r.key}`).join('\n');

export class Insights {
  private readonly kept = new Map<string, KeptAnswer>();

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

  /** The figures across the incidents `reader` may read that the query admits, as JSON (`InsightsResponse`). */
  async across(reader: Reader, q: InsightsQuery): Promise<string> {
    const slot = `${visibilityClass(reader)} ${JSON.stringify(q)}`;
    const keys = await this.store.figures.keys(reader, q);
    const last = this.kept.get(slot);
    if (last && last.stamp === stampOf(keys)) {
      this.keep(slot, last);
      return last.json;
    }
    const known = new Map<string, KeptFigures>();
    const changed: string[] = [];
    for (const { id, key } of keys) {
      const kept = this.keptFigures(id, key);
      if (kept) known.set(id, kept);
      else changed.push(id);
    }
    // Read with their keys as they are now: a row that changed again since `keys` is kept under its newer key.
    for (const row of await this.store.figures.rows(reader, q, changed)) {
      known.set(row.facts.id, { key: row.key, figures: this.figuresOf(row) });
    }
    const rows = new Map<string, KeptFigures>();
    for (const { id } of keys) {
      const kept = known.get(id);
      // Not read again: no longer admitted (made private, say) since `keys` was read.
      if (kept) rows.set(id, kept);
    }
    const answer = insightsOf(
      q,
      [...rows.values()].map((r) => r.figures),
    );
    const json = JSON.stringify(answer);
    this.keep(slot, { stamp: stampOf([...rows].map(([id, r]) => ({ id, key: r.key }))), json, rows });
    return json;
  }

  /** Figures kept in any answer for this incident under this key. */
  private keptFigures(id: string, key: string): KeptFigures | undefined {
    for (const answer of this.kept.values()) {
      const kept = answer.rows.get(id);
      if (kept?.key === key) return kept;
    }
    return undefined;
  }

  private keep(slot: string, answer: KeptAnswer): void {
    this.kept.delete(slot);
    this.kept.set(slot, answer);
    for (const oldest of this.kept.keys()) {
      if (this.kept.size <= KEPT_ANSWERS) break;
      this.kept.delete(oldest);
    }
  }

  private figuresOf({ facts, entries, usage }: FigureRow) {
    return incidentFigures(facts, entries, aiFigures(pricedUsage(usage, this.prices)));
  }
}
