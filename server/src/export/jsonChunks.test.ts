import { describe, expect, it } from 'vitest';
import { jsonPieces, jsonStream, utf8Chunks } from './jsonChunks.js';

const decode = (chunks: Iterable<Uint8Array>) => {
  const d = new TextDecoder();
  return [...chunks].map((c) => d.decode(c, { stream: true })).join('') + d.decode();
};

describe('JSON in pieces', () => {
  const values: Record<string, unknown>[] = [
    {},
    { list: [] },
    {
      a: 1,
      list: [{ x: 'line\nbreak', y: [1, 2, { z: null }] }, { q: '"quoted" \\ é 🚒' }],
      b: null,
      c: { d: [] },
      e: 'x',
    },
    { list: [1], gone: undefined, after: [[], {}] },
    { before: true, list: [{ nested: { list: [1, 2] } }] },
  ];

  it('gives what JSON.stringify gives, pretty-printed and compact', () => {
    for (const value of values) {
      for (const indent of [0, 2, 4])
        expect([...jsonPieces(value, 'list', indent)].join('')).toBe(JSON.stringify(value, null, indent));
    }
  });

  it('streams what JSON.stringify gives, a chunk a task as the reader asks', async () => {
    for (const value of values)
      expect(await new Response(jsonStream(value, 'list')).text()).toBe(JSON.stringify(value));
    // A chunk is made in a task of its own: one queued before the read runs first.
    const list = Array.from({ length: 200_000 }, (_, i) => ({ i, text: 'x'.repeat(10) }));
    const reader = jsonStream({ list }, 'list').getReader();
    let ticked = false;
    setImmediate(() => (ticked = true));
    await reader.read();
    const between = ticked;
    await reader.cancel();
    expect(between).toBe(true);
  });

  it('gives each list item its own piece', () => {
    const list = Array.from({ length: 1000 }, (_, i) => ({ i }));
    expect([...jsonPieces({ head: 1, list }, 'list', 2)].length).toBeGreaterThan(1000);
  });

  it('cuts text into UTF-8 chunks of bounded size, never inside a character', () => {
    const text = `${'a'.repeat(9)}🚒${'é'.repeat(20)}🚒🚒${'b'.repeat(5)}`;
    for (const size of [1, 2, 3, 7, 10, 11, 64]) {
      const chunks = [...utf8Chunks([text.slice(0, 13), text.slice(13)], size)];
      expect(decode(chunks)).toBe(text);
      for (const c of chunks)
        expect(new TextDecoder('utf-8', { fatal: true }).decode(c).length).toBeLessThanOrEqual(
          Math.max(size, 2),
        );
    }
    expect([...utf8Chunks([])]).toEqual([]);
  });
});
