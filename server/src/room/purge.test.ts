import { SitrepError, entriesMap, newEntryId, viewMap } from '@sitrep/shared';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { planPurge } from './purge.js';
import { makeEntry } from '../../../test/support/clients.js';

/** A finding by a harness (test/support), its body given. */
const entry = (body: string) => makeEntry('finding', { body });

/** A document and its log: each change is one row, as the room commits it. */
function logged() {
  const doc = new Y.Doc();
  const rows: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => rows.push(u));
  return { doc, rows };
}

const text = (bytes: Uint8Array | null) => (bytes ? Buffer.from(bytes).toString('latin1') : '');

describe('purge', () => {
  it('cuts the entry and every view value citing it out of the rows, and deletes the entry from the document', () => {
    const { doc, rows } = logged();
    const leaked = entry('token hunter2-leaked');
    entriesMap(doc).set(leaked.id, leaked);
    entriesMap(doc).set('kept', entry('kept text'));
    viewMap(doc).set('rules', { cites: [leaked.id], title: 'hunter2-leaked in rules' });
    viewMap(doc).set('other', { title: 'unrelated view' });
    viewMap(doc).set('rules', { cites: [leaked.id], title: 'hunter2-leaked overwritten' });
    const { removal, rewrite } = planPurge(doc, 'inc-1', leaked.id);
    const rewritten = rows.map(rewrite);
    expect(rewritten.map((r) => r !== null)).toEqual([true, false, true, false, true]);
    for (const [i, row] of rows.entries()) expect(text(rewritten[i] ?? row)).not.toContain('hunter2');
    expect(text(rows[1] ?? null)).toContain('kept text');
    Y.applyUpdate(doc, removal);
    expect(entriesMap(doc).has(leaked.id)).toBe(false);
    expect(entriesMap(doc).has('kept')).toBe(true);
  });

  it('refuses an entry the document does not hold', () => {
    const { doc } = logged();
    expect(() => planPurge(doc, 'inc-1', newEntryId())).toThrow(SitrepError);
  });
});
