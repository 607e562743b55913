// The write gate: every Yjs update, from a socket or made by the server, passes here before it
// is persisted, applied or broadcast. Pure: it reads the document and the pending writes and
// either returns what the update adds or throws a SitrepError naming the first violation.
import {
  Curation,
  Entry,
  EntryId,
  META_FIELDS,
  ROOTS,
  type RootName,
  SitrepError,
  type Writer,
  describeIssues,
  entryIdProblem,
  isMetaKey,
  isRootName,
  mayWrite,
  viewValueProblem,
} from '@sitrep/shared';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { decodeCheckedUpdate } from './encodedValues.js';
import type { ClockRange, PendingWrites, PlacedStruct } from './PendingWrites.js';

export interface Inspection {
  /** Structs this update adds, placed; empty with `deletes` false means the update is a no-op. */
  structs: PlacedStruct[];
  /** Entries the update adds, in update order. */
  entries: Entry[];
  /** Roots the update writes or deletes in. */
  roots: Set<RootName>;
  deletes: boolean;
  /** Every value the update writes, in any root: what the secret scanner reads. */
  values: unknown[];
  /**
   * When the update also carries changes already held, what is held of each of its clients: only
   * its new part may be logged (`newPart`). Null otherwise.
   */
  held: Map<number, number> | null;
}

type Struct = Y.Item | Y.GC | Y.Skip;
type DeleteSet = { clients: Map<number, { clock: number; len: number }[]> };
type Placement = { root: RootName | null; key: string | null };

const fail = (code: ConstructorParameters<typeof SitrepError>[0], message: string): never => {
  throw new SitrepError(code, message);
};

/** The largest update the gate accepts: a websocket frame's limit. */
export const MAX_UPDATE_BYTES = 4 * 1024 * 1024;
/** Most entries one update may add: a reconnecting client sends its offline work in one. */
export const MAX_ENTRIES_PER_UPDATE = 5000;

/** Checks one update against the document, the pending writes and the writer's role. */
export function inspectUpdate(doc: Y.Doc, pending: PendingWrites, update: Uint8Array, writer: Writer): Inspection {
  if (update.byteLength > MAX_UPDATE_BYTES) fail('gate.too_large', `the update exceeds ${MAX_UPDATE_BYTES} bytes`);
  let decoded: { structs: Struct[]; ds: DeleteSet };
  try {
    // Every value is decoded here: one that is not UTF-8, say, is malformed before anything applies it.
    decoded = decodeCheckedUpdate(update) as { structs: Struct[]; ds: DeleteSet };
  } catch (err) {
    if (err instanceof SitrepError) throw err;
    return fail('gate.malformed', 'the update could not be decoded');
  }
  // Defining the roots first makes each a Y.Map, so the identities below are the final ones.
  for (const name of ROOTS) doc.getMap(name);
  const rootNames = new Map<object, string>();
  for (const [name, type] of doc.share) rootNames.set(type, name);

  // What the document and the pending writes hold of a client, once per client: the pending
  // writes are scanned for it, and it is asked several times per struct.
  const held = new Map<number, number>();
  const known = (client: number): number => {
    let clock = held.get(client);
    if (clock === undefined) held.set(client, (clock = Math.max(Y.getState(doc.store, client), pending.nextClock(client))));
    return clock;
  };
  // Yjs keeps one group of changes per client and drops the others (it would apply less than
  // the gate read, and the log and the projection would hold what the document does not).
  const inUpdate = new Map<number, Struct[]>();
  let groups = 0;
  let list: Struct[] = [];
  for (const s of decoded.structs) {
    if (list[0]?.id.client !== s.id.client) {
      if (inUpdate.has(s.id.client)) fail('gate.malformed', `the update lists client ${s.id.client} twice`);
      inUpdate.set(s.id.client, (list = []));
      groups++;
    }
    list.push(s);
  }
  if (groups !== decoding.readVarUint(decoding.createDecoder(update))) fail('gate.malformed', 'the update lists a client without changes');
  /** The struct of this update holding `id`: a client's structs are in clock order. */
  const findInUpdate = (id: Y.ID): Struct | undefined => {
    const list = inUpdate.get(id.client) ?? [];
    for (let lo = 0, hi = list.length - 1; lo <= hi; ) {
      const mid = (lo + hi) >> 1;
      const s = list[mid] as Struct;
      if (id.clock < s.id.clock) hi = mid - 1;
      else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
      else return s;
    }
    return undefined;
  };
  checkOrder(decoded.structs, known, findInUpdate);

  /** Where a document item lives; a nested parent is refused by the caller. */
  const placeDocItem = (item: Y.Item | Y.GC): Placement | 'nested' | 'gc' => {
    if (!(item instanceof Y.Item)) return 'gc';
    const parent = item.parent as Y.AbstractType<Y.YEvent<Y.Map<unknown>>>;
    if (parent._item !== null) return 'nested';
    const name = rootNames.get(parent);
    return { root: name !== undefined && isRootName(name) ? name : null, key: item.parentSub };
  };

  const placed = new Map<Struct, Placement>();
  /** Resolves an ID to its root and key: in the document, the pending writes, or this update. */
  const placeId = (id: Y.ID): Placement => {
    if (id.clock < Y.getState(doc.store, id.client)) {
      const p = placeDocItem(Y.getItem(doc.store, id));
      if (p === 'nested') return fail('gate.nested', 'nested shared types are not allowed');
      if (p === 'gc') return fail('gate.unresolved', 'the update builds on collected content');
      return p;
    }
    const p = pending.find(id.client, id.clock);
    if (p) return { root: p.root, key: p.key };
    const s = findInUpdate(id);
    if (s instanceof Y.Item) return placeItem(s);
    return fail('gate.unresolved', `the update refers to unknown content ${id.client}:${id.clock}`);
  };
  const placeItem = (item: Y.Item): Placement => {
    const done = placed.get(item);
    if (done) return done;
    // Follow origins iteratively: a key set many times offline makes a long chain.
    const chain: Y.Item[] = [];
    let cur: Y.Item | undefined = item;
    let found: Placement | undefined;
    while (cur && !found) {
      found = placed.get(cur);
      if (found) break;
      chain.push(cur);
      const parent = cur.parent as unknown;
      if (typeof parent === 'string') {
        found = { root: isRootName(parent) ? parent : null, key: cur.parentSub };
        if (!isRootName(parent)) fail('gate.unknown_root', `unknown root "${parent}"`);
      } else if (parent instanceof Y.ID) {
        fail('gate.nested', 'nested shared types are not allowed');
      } else {
        const originId = cur.origin ?? cur.rightOrigin;
        if (!originId) return fail('gate.malformed', 'an item without parent or origin');
        const next = findInUpdate(originId);
        if (next instanceof Y.Item && !(originId.clock < known(originId.client))) cur = next;
        else found = placeId(originId);
      }
    }
    if (!found) return fail('gate.unresolved', 'the update refers to unknown content');
    for (const c of chain) placed.set(c, found);
    return found;
  };

  const entries: Entry[] = [];
  const structs: PlacedStruct[] = [];
  const roots = new Set<RootName>();
  const values: unknown[] = [];
  const addedEntryKeys = new Set<string>();
  const entriesRoot = doc.getMap('entries');
  let resends = false;

  const nextClock = new Map<number, number>();
  for (const s of decoded.structs) {
    const client = s.id.client;
    const expected = nextClock.get(client) ?? known(client);
    if (s instanceof Y.Skip || s.id.clock > expected) {
      // Yjs would hold this back until the missing clocks arrive, which may be never.
      return fail('gate.unresolved', `the update skips earlier changes of client ${client}`);
    }
    nextClock.set(client, Math.max(expected, s.id.clock + s.length));
    if (s.id.clock < known(client)) resends = true;
    if (s.id.clock + s.length <= known(client)) continue; // already held: a resend
    if (s instanceof Y.GC) {
      structs.push({ client, clock: s.id.clock, length: s.length, root: null, key: null });
      continue;
    }
    const { root, key } = placeItem(s);
    if (root === null) return fail('gate.unknown_root', 'the update writes outside the incident roots');
    if (!mayWrite(writer, root)) return fail('gate.forbidden', `a ${writer} may not write ${root}`);
    if (key === null) return fail('gate.content', `${root} is a map: list inserts are not allowed`);
    checkContent(s, root, key);
    if (s.content instanceof Y.ContentAny) values.push(...s.content.arr);
    if (root === 'entries') {
      if (s.origin !== null || s.rightOrigin !== null || entriesRoot._map.has(key) || pending.hasEntry(key) || addedEntryKeys.has(key)) {
        return fail('gate.overwrite', `entry ${key} exists: entries are append-only`);
      }
      if (s.content instanceof Y.ContentDeleted) return fail('gate.delete', `entry ${key} is deleted as it is written`);
      addedEntryKeys.add(key);
      if (addedEntryKeys.size > MAX_ENTRIES_PER_UPDATE) fail('gate.too_large', `more than ${MAX_ENTRIES_PER_UPDATE} entries in one update`);
      entries.push((s.content as Y.ContentAny).arr[0] as Entry);
    }
    roots.add(root);
    structs.push({ client: s.id.client, clock: s.id.clock, length: s.length, root, key });
  }

  let deletes = false;
  for (const [client, ranges] of decoded.ds.clients) {
    for (const { clock, len } of ranges) {
      for (let c = clock; c < clock + len; ) {
        const next = checkDelete(client, c, clock + len);
        if (next.live) {
          if (next.root === 'entries') return fail('gate.delete', 'entries cannot be deleted');
          if (next.root === null || !mayWrite(writer, next.root)) {
            return fail('gate.forbidden', `a ${writer} may not delete in ${next.root ?? 'an unknown root'}`);
          }
          roots.add(next.root);
          deletes = true;
        }
        c = next.end;
      }
    }
  }
  return { structs, entries, roots, deletes, values, held: resends ? held : null };

  /** Looks at the struct holding `clock`: is it live content, where, and where it ends. */
  function checkDelete(client: number, clock: number, end: number): { live: boolean; root: RootName | null; end: number } {
    if (clock < Y.getState(doc.store, client)) {
      const structsOf = doc.store.clients.get(client) ?? [];
      const item = structsOf[Y.findIndexSS(structsOf, clock)];
      if (!item) return fail('gate.unresolved', 'a delete of unknown content');
      const stop = Math.min(end, item.id.clock + item.length);
      if (item.deleted) return { live: false, root: null, end: stop };
      const p = placeDocItem(item);
      if (p === 'nested' || p === 'gc') return { live: false, root: null, end: stop };
      return { live: true, root: p.root, end: stop };
    }
    const p = pending.find(client, clock);
    if (p) return { live: true, root: p.root, end: Math.min(end, p.clock + p.length) };
    const s = findInUpdate({ client, clock } as Y.ID);
    if (s instanceof Y.Item) {
      return { live: true, root: placeItem(s).root, end: Math.min(end, s.id.clock + s.length) };
    }
    if (s) return { live: false, root: null, end: Math.min(end, s.id.clock + s.length) };
    return fail('gate.unresolved', 'a delete of content the server does not hold');
  }
}

/**
 * Refuses an update Yjs could not apply whole. Yjs integrates a client's changes in clock order,
 * each after the content its origins name; an origin that is neither held already nor earlier in
 * that order (one naming its own item or a later clock of its own client, or a cycle through
 * several clients) would make Yjs fail (taking down the commit that logged it) or hold the
 * update back for ever, acknowledged and never applied.
 */
function checkOrder(structs: readonly Struct[], known: (client: number) => number, findInUpdate: (id: Y.ID) => Struct | undefined): void {
  const deps = (s: Struct): Struct[] => {
    const out: Struct[] = [];
    const before = s.id.clock - 1;
    if (before >= known(s.id.client)) {
      const prev = findInUpdate(Y.createID(s.id.client, before));
      if (prev) out.push(prev);
    }
    if (s instanceof Y.Item) {
      for (const ref of [s.origin, s.rightOrigin]) {
        if (!ref || ref.clock < known(ref.client)) continue;
        const target = findInUpdate(ref);
        if (!target) fail('gate.unresolved', `the update refers to unknown content ${ref.client}:${ref.clock}`);
        out.push(target as Struct);
      }
    }
    return out;
  };
  const state = new Map<Struct, 'open' | 'done'>();
  for (const start of structs) {
    if (state.has(start) || start.id.clock + start.length <= known(start.id.client)) continue;
    const stack: [Struct, Struct[]][] = [[start, deps(start)]];
    state.set(start, 'open');
    while (stack.length > 0) {
      const [s, next] = stack.at(-1) as [Struct, Struct[]];
      const dep = next.pop();
      if (!dep) {
        state.set(s, 'done');
        stack.pop();
      } else if (state.get(dep) === 'open') {
        fail('gate.malformed', 'the update\'s changes refer to each other in a cycle');
      } else if (!state.has(dep)) {
        state.set(dep, 'open');
        stack.push([dep, deps(dep)]);
      }
    }
  }
}

/**
 * The part of an update past what is `held` (an inspection's), with its deletes: what is logged
 * for an update that resends changes, whose held part the gate does not read.
 */
export function newPart(update: Uint8Array, held: Map<number, number>): Uint8Array {
  return Y.diffUpdate(update, Y.encodeStateVector(held));
}

/** A value written into a root must be plain JSON that passes that root's schema. */
function checkContent(item: Y.Item, root: RootName, key: string): void {
  const content = item.content;
  if (content instanceof Y.ContentType) fail('gate.nested', 'nested shared types are not allowed');
  if (content instanceof Y.ContentDeleted) return;
  if (!(content instanceof Y.ContentAny)) fail('gate.content', `${root}.${key} must hold a plain JSON value`);
  const values = (content as Y.ContentAny).arr;
  if (values.length !== 1) fail('gate.content', `${root}.${key} must hold one value`);
  const value: unknown = values[0];
  const problem = (issues: readonly { path: PropertyKey[]; message: string }[]) =>
    fail('gate.schema', `${root}.${key}: ${describeIssues(issues).join('; ')}`);
  if (root === 'entries') {
    if (!EntryId.safeParse(key).success) fail('gate.schema', `entries key ${key} is not a ULID`);
    const ahead = entryIdProblem(key);
    if (ahead) fail('gate.schema', ahead);
    const parsed = Entry.safeParse(value);
    if (!parsed.success) problem(parsed.error.issues);
    else if (parsed.data.id !== key) fail('gate.schema', `entry id ${parsed.data.id} differs from its key ${key}`);
  } else if (root === 'meta') {
    if (!isMetaKey(key)) fail('gate.schema', `meta has no key "${key}"`);
    else {
      const parsed = META_FIELDS[key].safeParse(value);
      if (!parsed.success) problem(parsed.error.issues);
    }
  } else if (root === 'curation') {
    if (!EntryId.safeParse(key).success) fail('gate.schema', `curation key ${key} is not an entry id`);
    const parsed = Curation.safeParse(value);
    if (!parsed.success) problem(parsed.error.issues);
  } else if (root === 'view') {
    const why = viewValueProblem(key, value);
    if (why) fail('gate.schema', `view.${key}: ${why}`);
  }
}

/**
 * The clock ranges a refused update would have taken, per client, contiguous from what the
 * server holds. The room fills them with tombstones so the client's later changes integrate.
 */
export function refusedRanges(doc: Y.Doc, pending: PendingWrites, update: Uint8Array): ClockRange[] {
  let structs: Struct[];
  try {
    structs = (Y.decodeUpdate(update) as { structs: Struct[] }).structs;
  } catch {
    return [];
  }
  const cursors = new Map<number, { start: number; end: number; open: boolean }>();
  for (const s of structs) {
    const client = s.id.client;
    let c = cursors.get(client);
    if (!c) {
      const start = Math.max(Y.getState(doc.store, client), pending.nextClock(client));
      cursors.set(client, (c = { start, end: start, open: true }));
    }
    if (!c.open) continue;
    if (s instanceof Y.Skip || s.id.clock > c.end) c.open = false;
    else c.end = Math.max(c.end, s.id.clock + s.length);
  }
  return [...cursors].filter(([, c]) => c.end > c.start).map(([client, c]) => ({ client, clock: c.start, length: c.end - c.start }));
}
