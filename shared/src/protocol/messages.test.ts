import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeMessage, encodeSyncStep2Empty, encodeSyncUpdate, encodeSyncUpdateHead } from './messages.js';

describe('encodeSyncUpdateHead', () => {
  it('with the update after it, makes the frame that encodeSyncUpdate makes of it', () => {
    for (const size of [0, 1, 200, 70_000]) {
      const doc = new Y.Doc();
      doc.getText('t').insert(0, 'x'.repeat(size));
      const update = Y.encodeStateAsUpdate(doc);
      const frame = Buffer.concat([encodeSyncUpdateHead(update.byteLength), update]);
      expect(frame.equals(Buffer.from(encodeSyncUpdate(update)))).toBe(true);
    }
  });
});

describe('encodeSyncStep2Empty', () => {
  it('is a step 2 whose update changes nothing', () => {
    const msg = decodeMessage(encodeSyncStep2Empty());
    expect(msg.type).toBe('sync-step2');
    const doc = new Y.Doc();
    let changed = false;
    doc.on('update', () => {
      changed = true;
    });
    if (msg.type === 'sync-step2') Y.applyUpdate(doc, msg.update);
    expect(changed).toBe(false);
  });
});
