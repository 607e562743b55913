// How view values are kept in the `view` root: as diffs, not whole values. A view's short fields
// (the rules view's counts and watermark, the timeline's metrics) sit under the view's own key;
// each item of its long lists (theory cards, decisions, gaps, warnings, timeline events, ...)
// under a key of its own, `<view>/<list>/<item key>`. A new finding then rewrites its theory's
// card, the counts and its author, not the whole board: on a 2,000-theory incident the whole rules
// view was a 339 KB log row. Readers put a view back together (`readView`) in its builder's order.
import type * as Y from 'yjs';
import type { z } from 'zod';
import { EntryId } from './entry.js';
import { compareEvents } from './timeline.js';
import {
  RULE_WARNINGS,
  ReviewItem,
  RuleWarning,
  RulesView,
  TheoryCard,
  Timeline,
  TimelineEvent,
  VIEW_FIELDS,
  type ViewKey,
  Worker,
} from './view.js';

export type ViewValue<K extends ViewKey> = z.infer<(typeof VIEW_FIELDS)[K]>;

/** One long list of a view: its items' schema, each item's key in the list, the list's order. */
interface ListLayout<T> {
  schema: z.ZodType<T>;
  key(item: T): string;
  compare(a: T, b: T): number;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function list<T>(
  schema: z.ZodType<T>,
  key: (item: T) => string,
  compare?: (a: T, b: T) => number,
): ListLayout<T> {
  return { schema, key, compare: compare ?? ((a, b) => byText(key(a), key(b))) };
}

/** A rule warning's key: its code's place, then what it is about (one warning per code and subject). */
const warningKey = (w: RuleWarning) => `${RULE_WARNINGS.indexOf(w.code)}:${w.cites[0]}`;

/** The views kept in parts, and their lists; the others are small and kept whole. */
const LISTS = {
  rules: {
    theories: list(TheoryCard, (t) => t.id),
    decisions: list(RulesView.shape.decisions.element, (d) => d.id),
    openGaps: list(EntryId, (id) => id),
    datasets: list(EntryId, (id) => id),
    actions: list(RulesView.shape.actions.element, (a) => a.id),
    workers: list(Worker, (w) => w.id),
    review: list(ReviewItem, (r) => r.id),
    warnings: list(RuleWarning, warningKey),
  },
  timeline: { events: list(TimelineEvent, (e) => e.key, compareEvents) },
} as const;
/** The views kept in parts: the rules view and the timeline. */
export type SplitView = keyof typeof LISTS;

/** What the view's own key holds for a view kept in parts: its short fields. */
const HEADERS: Record<SplitView, z.ZodType> = {
  rules: RulesView.omit({
    theories: true,
    decisions: true,
    openGaps: true,
    datasets: true,
    actions: true,
    workers: true,
    review: true,
    warnings: true,
  }),
  timeline: Timeline.omit({ events: true }),
};

const isSplit = (key: string): key is SplitView => Object.hasOwn(LISTS, key);
const listsOf = (key: SplitView) => Object.entries(LISTS[key]) as [string, ListLayout<unknown>][];

export function viewMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>('view');
}

/** The `view` root's keys and values that hold one view value. */
export function viewEntries<K extends ViewKey>(key: K, value: ViewValue<K>): [string, unknown][] {
  if (!isSplit(key)) return [[key, value]];
  return [viewHeader(key, value), ...itemEntries(key, value)];
}

/** Some items of a split view's lists, by list name (other fields are not read). */
export type ViewItems = Readonly<Record<string, unknown>>;

/** The `view` root's keys and values of these items of a view's lists. */
export function itemEntries(key: SplitView, lists: ViewItems): [string, unknown][] {
  const items: [string, unknown][] = [];
  for (const [name, layout] of listsOf(key))
    for (const item of (lists[name] as readonly unknown[] | undefined) ?? [])
      items.push([`${key}/${name}/${layout.key(item)}`, item]);
  return items;
}

/** A split view's own key and what it holds: the value's short fields (its lists left out). */
export function viewHeader(key: SplitView, value: Readonly<Record<string, unknown>>): [string, unknown] {
  const header: Record<string, unknown> = { ...value };
  for (const [name] of listsOf(key)) delete header[name];
  return [key, header];
}

/** Reads one view, or null when it is absent or any part of it does not parse. */
export function readView<K extends ViewKey>(doc: Y.Doc, key: K): ViewValue<K> | null {
  const map = viewMap(doc);
  if (!isSplit(key)) {
    const parsed = VIEW_FIELDS[key].safeParse(map.get(key));
    return parsed.success ? (parsed.data as ViewValue<K>) : null;
  }
  const header = HEADERS[key].safeParse(map.get(key));
  if (!header.success) return null;
  const lists = new Map(listsOf(key).map(([name, layout]) => [name, { layout, items: [] as unknown[] }]));
  let ok = true;
  map.forEach((item, mapKey) => {
    if (!ok || !mapKey.startsWith(`${key}/`)) return;
    const name = mapKey.slice(key.length + 1, mapKey.indexOf('/', key.length + 1));
    const parsed = lists.get(name)?.layout.schema.safeParse(item);
    if (parsed?.success) lists.get(name)?.items.push(parsed.data);
    else ok = false;
  });
  if (!ok) return null;
  const value: Record<string, unknown> = { ...(header.data as Record<string, unknown>) };
  for (const [name, { layout, items }] of lists) value[name] = items.sort(layout.compare);
  return value as ViewValue<K>;
}

/** What to write so the `view` root holds these values: keys to set, and keys of items gone. */
export interface ViewChanges {
  sets: [string, unknown][];
  deletes: string[];
}

/** Values for some view keys, each beside its key. */
export type ViewValues = readonly { [K in ViewKey]: readonly [K, ViewValue<K>] }[ViewKey][];

/** The keys whose value differs from what `map` holds, and the items it holds that are gone. */
export function viewChanges(map: Y.Map<unknown>, values: ViewValues): ViewChanges {
  const wanted = new Map<string, unknown>();
  for (const [key, value] of values) for (const [k, v] of viewEntries(key, value)) wanted.set(k, v);
  return keyChanges(map, wanted, values.map(([key]) => key).filter(isSplit));
}

/**
 * What to write so `map` holds `wanted` (a key to `undefined`: absent): the keys whose value
 * differs, and those to delete. The items of the `whole` views that `wanted` does not name go too.
 */
export function keyChanges(
  map: Y.Map<unknown>,
  wanted: ReadonlyMap<string, unknown>,
  whole: readonly SplitView[] = [],
): ViewChanges {
  const changes: ViewChanges = { sets: [], deletes: [] };
  for (const [k, v] of wanted) {
    if (v === undefined) map.has(k) && changes.deletes.push(k);
    else if (JSON.stringify(map.get(k)) !== JSON.stringify(v)) changes.sets.push([k, v]);
  }
  for (const view of whole)
    map.forEach((_, k) => void (k.startsWith(`${view}/`) && !wanted.has(k) && changes.deletes.push(k)));
  return changes;
}

/**
 * Why a value may not sit under this key of the `view` root, or null: a view key holds the view
 * (or its short fields), an item key an item of that list whose own key it is.
 */
export function viewValueProblem(mapKey: string, value: unknown): string | null {
  const describe = (error: z.ZodError) =>
    error.issues
      .map((i) => `${i.path.join('.') || 'value'}: ${i.message}`)
      .slice(0, 3)
      .join('; ');
  if (Object.hasOwn(VIEW_FIELDS, mapKey)) {
    const parsed = (isSplit(mapKey) ? HEADERS[mapKey] : VIEW_FIELDS[mapKey as ViewKey]).safeParse(value);
    return parsed.success ? null : describe(parsed.error);
  }
  const [view = '', name = ''] = mapKey.split('/', 2);
  const layout = isSplit(view) ? listsOf(view).find(([n]) => n === name)?.[1] : undefined;
  if (!layout) return `view has no key "${mapKey}"`;
  const parsed = layout.schema.safeParse(value);
  if (!parsed.success) return describe(parsed.error);
  const own = `${view}/${name}/${layout.key(parsed.data)}`;
  return own === mapKey ? null : `the item's key is ${own}`;
}
