// Scanning every string of a JSON value in one call. The scanners' cost is mostly per call,
// not per character (one call per string made a 20,000-entry export take 21 s), so the strings
// are joined, scanned once, and each finding is moved back into its own string.

export interface Span {
  start: number;
  end: number;
}

/**
 * Joins strings for one scan: a newline, a NUL and a newline between them match no detector
 * (none takes NUL, and an assignment needs its `=` or `:` after the whitespace), and the
 * scanner cuts any finding at the next separator (`findSecrets`), so no finding spans two
 * strings: an unterminated private key in one entry hides nothing in the next.
 */
export const SEPARATOR = '\n\u0000\n';

/** Every string in the values, in walk order (object keys too, when asked). */
export function stringsOf(values: readonly unknown[], keys: boolean): string[] {
  const strings: string[] = [];
  for (const v of values) collectStrings(v, keys, strings);
  return strings;
}

/** `stringsOf` of one value into `into`: no closure or key-value pair is made per call (it runs per entry on ingest). */
function collectStrings(v: unknown, keys: boolean, into: string[]): void {
  if (typeof v === 'string') into.push(v);
  else if (Array.isArray(v)) for (const x of v) collectStrings(x, keys, into);
  else if (v && typeof v === 'object') {
    const record = v as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (keys) into.push(key);
      collectStrings(record[key], keys, into);
    }
  }
}

export const joinStrings = (strings: readonly string[]): string => strings.join(SEPARATOR);

/** Findings of one scan of the joined strings, by the index of the string each lies in. */
export function splitFindings<F extends Span>(
  strings: readonly string[],
  found: readonly F[],
): Map<number, F[]> {
  const starts: number[] = [];
  let offset = 0;
  for (const s of strings) {
    starts.push(offset);
    offset += s.length + SEPARATOR.length;
  }
  const inString = new Map<number, F[]>();
  let i = 0;
  for (const f of found) {
    while (i + 1 < starts.length && (starts[i + 1] as number) <= f.start) i++;
    const start = starts[i] as number;
    const length = (strings[i] as string).length;
    const list = inString.get(i) ?? [];
    list.push({ ...f, start: f.start - start, end: Math.min(f.end - start, length) });
    inString.set(i, list);
  }
  return inString;
}

/**
 * Findings of one scan of groups of strings joined one after the other (`joinStrings(groups.flat())`),
 * by the index of the group each lies in, placed as in that group's own join.
 */
export function splitGroups<F extends Span>(
  groups: readonly (readonly string[])[],
  found: readonly F[],
): Map<number, F[]> {
  const length = (g: readonly string[]) =>
    g.reduce((n, s) => n + s.length, 0) + SEPARATOR.length * Math.max(0, g.length - 1);
  const inGroup = new Map<number, F[]>();
  let g = 0;
  let offset = 0;
  for (const f of found) {
    for (;;) {
      const group = groups[g];
      if (group === undefined || (group.length > 0 && f.start < offset + length(group))) break;
      if (group.length > 0) offset += length(group) + SEPARATOR.length;
      g++;
    }
    const list = inGroup.get(g) ?? [];
    list.push({ ...f, start: f.start - offset, end: f.end - offset });
    inGroup.set(g, list);
  }
  return inGroup;
}

/** Replaces each span (sorted, not overlapping) in `text` with what `by` makes of it. */
export function replaceSpans<F extends Span>(
  text: string,
  spans: readonly F[],
  by: (f: F) => string,
): string {
  let out = '';
  let at = 0;
  for (const f of spans) {
    out += text.slice(at, f.start) + by(f);
    at = f.end;
  }
  return out + text.slice(at);
}

/** The value with its n-th string (in `stringsOf` order, keys not counted) replaced by `by`. */
export function mapStrings<T>(value: T, by: (s: string, n: number) => string): T {
  let n = 0;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return by(v, n++);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
