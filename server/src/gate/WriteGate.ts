// The write gate: every Yjs update, from a socket or made by the server, passes here before it
// is persisted, applied or broadcast. Pure: it reads the document and the pending writes and
// either returns what the update adds or throws a SitrepError naming the first violation.
import {
  Curation,
  Entry,
  EntryId,
  META_FIELDS,
  type MetaKey,
  ROOTS,
  SERVER_META_KEYS,
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
import * as Y from 'yjs';
import type { ClockRange, PendingWrites, PlacedStruct } from './PendingWrites.js';
import { ServerUpdate, bytesOf } from './ServerUpdate.js';
import {
  type DeleteSet,
  type Struct,
  checkOrder,
  decodeUpdate,
  findInUpdate,
  groupByClient,
} from './updateStructs.js';

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
  /** What the update changes in `meta` (for the audit trail); null when it changes nothing there. */
  meta: MetaChange | null;
  /**
   * When the update also carries changes already held, what is held of each of its clients: only
   * its new part may be logged (`newPart`). Null otherwise.
   */
  held: Map<number, number> | null;
}

/** Meta keys an update sets (to their last value in it) and keys it deletes. */
export interface MetaChange {
  set: Partial<Record<MetaKey, unknown>>;
  unset: MetaKey[];
}

type Placement = { root: RootName | null; key: string | null };

const fail = (code: ConstructorParameters<typeof SitrepError>[0], message: string): never => {
  throw new SitrepError(code, message);
};

/** Most entries one update may add: a reconnecting client sends its offline work in one. */
export const MAX_ENTRIES_PER_UPDATE = 5000;

/**
 * Checks one update against the document, the pending writes and the writer's role, in named
 * steps: decode, group by client, order check, place structs, check deletes.
 */
export function inspectUpdate(
  doc: Y.Doc,
  pending: PendingWrites,
  update: Uint8Array | ServerUpdate,
  writer: Writer,
): Inspection {
  const bytes = bytesOf(update);
  const decoded = decodeUpdate(bytes, ServerUpdate.decodedOf(update));
  const byClient = groupByClient(bytes, decoded.structs);
  const held = new Map<number, number>();
  const places = new Placements(doc, pending, byClient, held);
  checkOrder(byClient, places.known);
  const { structs, entries, roots, values, meta, resends } = placeStructs(places, decoded.structs, writer);
  const deleted = checkDeletes(places, decoded.ds, writer);
  for (const root of deleted.roots) roots.add(root);
  for (const key of deleted.meta) if (!(key in meta.set)) meta.unset.push(key);
  const changed = Object.keys(meta.set).length > 0 || meta.unset.length > 0;
  return {
    structs,
    entries,
    roots,
    deletes: deleted.roots.size > 0,
    values,
    meta: changed ? meta : null,
    held: resends ? held : null,
  };
}

/**
 * Where structs live (their root and key), in the document, the pending writes or the update
 * itself (`byClient`), each found once. Also what the document and the pending writes hold of
 * each client (`known`), asked once per client into `held`: the pending writes are scanned for it.
 */
export class Placements {
  private readonly rootNames = new Map<object, string>();
  private readonly placed = new Map<Struct, Placement>();

  constructor(
    readonly doc: Y.Doc,
    readonly pending: PendingWrites,
    private readonly byClient: ReadonlyMap<number, readonly Struct[]>,
    private readonly held: Map<number, number>,
  ) {
    // Defining the roots first makes each a Y.Map, so the identities below are the final ones.
    for (const name of ROOTS) doc.getMap(name);
    for (const [name, type] of doc.share) this.rootNames.set(type, name);
  }

  /** The first clock of `client` neither the document nor the pending writes hold. */
  readonly known = (client: number): number => {
    let clock = this.held.get(client);
    if (clock === undefined)
      this.held.set(
        client,
        (clock = Math.max(Y.getState(this.doc.store, client), this.pending.nextClock(client))),
      );
    return clock;
  };

  /** The update's struct holding `id`. */
  inUpdate(id: Y.ID): Struct | undefined {
    return findInUpdate(this.byClient, id);
  }

  /** Where a document item lives; a nested parent is refused by the caller. */
  docItem(item: Y.Item | Y.GC): Placement | 'nested' | 'gc' {
    if (!(item instanceof Y.Item)) return 'gc';
    const parent = item.parent as Y.AbstractType<Y.YEvent<Y.Map<unknown>>>;
    if (parent._item !== null) return 'nested';
    const name = this.rootNames.get(parent);
    return { root: name !== undefined && isRootName(name) ? name : null, key: item.parentSub };
  }

  /** Resolves an ID to its root and key: in the document, the pending writes, or this update. */
  id(id: Y.ID): Placement {
    if (id.clock < Y.getState(this.doc.store, id.client)) {
      const p = this.docItem(Y.getItem(this.doc.store, id));
      if (p === 'nested') return fail('gate.nested', 'nested shared types are not allowed');
      if (p === 'gc') return fail('gate.unresolved', 'the update builds on collected content');
      return p;
    }
    const p = this.pending.find(id.client, id.clock);
    if (p) return { root: p.root, key: p.key };
    const s = this.inUpdate(id);
    if (s instanceof Y.Item) return this.item(s);
    return fail('gate.unresolved', `the update refers to unknown content ${id.client}:${id.clock}`);
  }

  /** Where an item of the update lives: its parent's root, or its origin's. */
  item(item: Y.Item): Placement {
    const done = this.placed.get(item);
    if (done) return done;
    // Follow origins iteratively: a key set many times offline makes a long chain.
    const chain: Y.Item[] = [];
    let cur: Y.Item | undefined = item;
    let found: Placement | undefined;
    while (cur && !found) {
      found = this.placed.get(cur);
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
        const next = this.inUpdate(originId);
        if (next instanceof Y.Item && !(originId.clock < this.known(originId.client))) cur = next;
        else found = this.id(originId);
      }
    }
    if (!found) return fail('gate.unresolved', 'the update refers to unknown content');
    for (const c of chain) this.placed.set(c, found);
    return found;
  }
}

/** What the update's structs add: an inspection without its deletes. */
export interface Added {
  structs: PlacedStruct[];
  entries: Entry[];
  roots: Set<RootName>;
  values: unknown[];
  meta: MetaChange;
  /** The update also carries changes already held. */
  resends: boolean;
}

/**
 * Places each new struct and checks it: contiguous with what is held of its client, in a root
 * the writer may write, a plain value its root's schema takes, and no entry written twice.
 */
export function placeStructs(places: Placements, structs: readonly Struct[], writer: Writer): Added {
  const { known } = places;
  const added: Added = {
    structs: [],
    entries: [],
    roots: new Set(),
    values: [],
    meta: { set: {}, unset: [] },
    resends: false,
  };
  const addedEntryKeys = new Set<string>();
  const entriesRoot = places.doc.getMap('entries');
  const nextClock = new Map<number, number>();
  for (const s of structs) {
    const client = s.id.client;
    const expected = nextClock.get(client) ?? known(client);
    if (s instanceof Y.Skip || s.id.clock > expected) {
      // Yjs would hold this back until the missing clocks arrive, which may be never.
      return fail('gate.unresolved', `the update skips earlier changes of client ${client}`);
    }
    nextClock.set(client, Math.max(expected, s.id.clock + s.length));
    if (s.id.clock < known(client)) added.resends = true;
    if (s.id.clock + s.length <= known(client)) continue; // already held: a resend
    if (s instanceof Y.GC) {
      added.structs.push({ client, clock: s.id.clock, length: s.length, root: null, key: null });
      continue;
    }
    const { root, key } = places.item(s);
    if (root === null) return fail('gate.unknown_root', 'the update writes outside the incident roots');
    if (!mayWrite(writer, root)) return fail('gate.forbidden', `a ${writer} may not write ${root}`);
    if (key === null) return fail('gate.content', `${root} is a map: list inserts are not allowed`);
    checkKey(writer, root, key);
    checkContent(s, root, key);
    if (s.content instanceof Y.ContentAny) added.values.push(...s.content.arr);
    // Items are in clock order per client, so the last one set of a key is its value.
    if (root === 'meta' && isMetaKey(key) && s.content instanceof Y.ContentAny)
      added.meta.set[key] = s.content.arr[0];
    if (root === 'entries') {
      if (
        s.origin !== null ||
        s.rightOrigin !== null ||
        entriesRoot._map.has(key) ||
        places.pending.hasEntry(key) ||
        addedEntryKeys.has(key)
      ) {
        return fail('gate.overwrite', `entry ${key} exists: entries are append-only`);
      }
      if (s.content instanceof Y.ContentDeleted)
        return fail('gate.delete', `entry ${key} is deleted as it is written`);
      addedEntryKeys.add(key);
      if (addedEntryKeys.size > MAX_ENTRIES_PER_UPDATE)
        fail('gate.too_large', `more than ${MAX_ENTRIES_PER_UPDATE} entries in one update`);
      added.entries.push((s.content as Y.ContentAny).arr[0] as Entry);
    }
    added.roots.add(root);
    added.structs.push({ client, clock: s.id.clock, length: s.length, root, key });
  }
  return added;
}

/**
 * Checks the update's deletes: of live content, never of an entry, only in roots the writer may
 * write. Returns the roots it deletes in (none when it deletes nothing live) and the meta keys.
 */
export function checkDeletes(
  places: Placements,
  ds: DeleteSet,
  writer: Writer,
): { roots: Set<RootName>; meta: MetaKey[] } {
  const roots = new Set<RootName>();
  const meta = new Set<MetaKey>();
  for (const [client, ranges] of ds.clients) {
    for (const { clock, len } of ranges) {
      for (let c = clock; c < clock + len; ) {
        const next = deletedStruct(places, client, c, clock + len);
        if (next.live) {
          if (next.root === 'entries') return fail('gate.delete', 'entries cannot be deleted');
          if (next.root === null || !mayWrite(writer, next.root)) {
            return fail('gate.forbidden', `a ${writer} may not delete in ${next.root ?? 'an unknown root'}`);
          }
          if (next.key !== null) checkKey(writer, next.root, next.key);
          if (next.root === 'meta' && next.key !== null && isMetaKey(next.key)) meta.add(next.key);
          roots.add(next.root);
        }
        c = next.end;
      }
    }
  }
  return { roots, meta: [...meta] };
}

/** The struct a delete of `client`'s `clock` (up to `end`) hits: is it live content, where, and where it ends. */
function deletedStruct(
  places: Placements,
  client: number,
  clock: number,
  end: number,
): { live: boolean; root: RootName | null; key: string | null; end: number } {
  const { doc, pending } = places;
  if (clock < Y.getState(doc.store, client)) {
    const structsOf = doc.store.clients.get(client) ?? [];
    const item = structsOf[Y.findIndexSS(structsOf, clock)];
    if (!item) return fail('gate.unresolved', 'a delete of unknown content');
    const stop = Math.min(end, item.id.clock + item.length);
    if (item.deleted) return { live: false, root: null, key: null, end: stop };
    const p = places.docItem(item);
    if (p === 'nested' || p === 'gc') return { live: false, root: null, key: null, end: stop };
    return { live: true, ...p, end: stop };
  }
  const p = pending.find(client, clock);
  if (p) return { live: true, root: p.root, key: p.key, end: Math.min(end, p.clock + p.length) };
  const s = places.inUpdate(Y.createID(client, clock));
  if (s instanceof Y.Item)
    return { live: true, ...places.item(s), end: Math.min(end, s.id.clock + s.length) };
  if (s) return { live: false, root: null, key: null, end: Math.min(end, s.id.clock + s.length) };
  return fail('gate.unresolved', 'a delete of content the server does not hold');
}

/**
 * The part of an update past what is `held` (an inspection's), with its deletes: what is logged
 * for an update that resends changes, whose held part the gate does not read.
 */
export function newPart(update: Uint8Array, held: Map<number, number>): Uint8Array {
  return Y.diffUpdate(update, Y.encodeStateVector(held));
}

/** Keys of `meta` only the server writes (a drill's scenario): no client sets or deletes them. */
function checkKey(writer: Writer, root: RootName, key: string): void {
  if (root === 'meta' && writer !== 'server' && isMetaKey(key) && SERVER_META_KEYS.has(key))
    fail('gate.forbidden', `meta.${key} is written by the server only`);
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
    else if (parsed.data.id !== key)
      fail('gate.schema', `entry id ${parsed.data.id} differs from its key ${key}`);
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
 * server holds. The room fills them (room/refusedFill.ts) so the client's later changes integrate.
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
  return [...cursors]
    .filter(([, c]) => c.end > c.start)
    .map(([client, c]) => ({ client, clock: c.start, length: c.end - c.start }));
}
