import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeSyncStep2, encodeSyncStep2Head } from './messages.js';

describe('encodeSyncStep2Head', () => {
  it('with the update after it, makes the step 2 frame that encodeSyncStep2 makes of the document', () => {
    for (const size of [0, 1, 200, 70_000]) {
      const doc = new Y.Doc();
      doc.getText('t').insert(0, 'x'.repeat(size));
      const update = Y.encodeStateAsUpdate(doc);
      const frame = Buffer.concat([encodeSyncStep2Head(update.byteLength), update]);
      expect(frame.equals(Buffer.from(encodeSyncStep2(doc)))).toBe(true);
    }
  });
});
