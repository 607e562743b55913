// What the admin's purge of an entry removes. The live document loses the entry's item (an update
// that deletes it, logged too, so other nodes apply it); every stored log row loses that item's
// content and that of each `view` value citing the entry, since views copy entries' titles and
// text. Pure: the room runs a purge with no commit in flight, the store rewrites the rows.
import { SitrepError, entriesMap } from '@sitrep/shared';
import * as Y from 'yjs';
import { encodeDeletes, holding, withoutContent } from './serverUpdates.js';

export interface Purge {
  /** The update that deletes the entry's item from the document. */
  removal: Uint8Array;
  /** The rewrite of a log row (null: keep it); rows must be passed in log order. */
  rewrite: (bytes: Uint8Array) => Uint8Array | null;
}

/** The purge of `entryId` from `doc`; entry.not_found when the document does not hold it. */
export function planPurge(doc: Y.Doc, incidentId: string, entryId: string): Purge {
  const item = entriesMap(doc)._map.get(entryId);
  if (!item || item.deleted) throw new SitrepError('entry.not_found', `no entry ${entryId} in ${incidentId}`);
  const target = { client: item.id.client, clock: item.id.clock };
  return {
    removal: encodeDeletes([{ ...target, length: item.length }]),
    rewrite: purgeRewrite(entryId, target),
  };
}

/**
 * The entry's own item loses its content, and so does every value of the `view` root that cites
 * it. (Views are derived: the room writes them again at once.) A view value's later overwrites
 * are found through the earlier ones they build on, hence log order.
 */
function purgeRewrite(
  entryId: string,
  target: { client: number; clock: number },
): (bytes: Uint8Array) => Uint8Array | null {
  const isEntry = holding(target);
  const viewItems = new Set<string>();
  const key = (id: Y.ID) => `${id.client}:${id.clock}`;
  const cut = (item: Y.Item): boolean => {
    if (isEntry(item)) return true;
    const inView =
      (item.parent as unknown) === 'view' || (item.origin !== null && viewItems.has(key(item.origin)));
    if (!inView) return false;
    viewItems.add(key(Y.createID(item.id.client, item.id.clock + item.length - 1)));
    return item.content instanceof Y.ContentAny && JSON.stringify(item.content.arr).includes(entryId);
  };
  return (bytes) => withoutContent(bytes, cut);
}
