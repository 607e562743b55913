// JSON text in pieces: what JSON.stringify(value, null, indent) gives, byte for byte, produced
// one list item at a time, so a large export is sent as it is written instead of held as one
// string. Then those pieces as UTF-8 chunks of about CHUNK_CHARS characters, and those chunks as
// a body made on the event loop a chunk a task (a large API answer).

/** Characters per chunk of a streamed body: large enough that the per-chunk cost is nothing. */
export const CHUNK_CHARS = 1 << 20;

/**
 * The pieces of `JSON.stringify(value, null, indent)` for a plain JSON object, with the items of
 * its array `listKey` one piece each (indent 0: compact, as `JSON.stringify(value)`).
 */
export function* jsonPieces(value: Record<string, unknown>, listKey: string, indent = 0): Generator<string> {
  const pad = ' '.repeat(indent);
  const nl = indent ? '\n' : '';
  const nested = (v: unknown, depth: number) => {
    const text = JSON.stringify(v, null, indent) ?? 'null';
    return indent ? text.replaceAll('\n', `\n${pad.repeat(depth)}`) : text; // a string's newlines are escaped: these are layout
  };
  const members = Object.entries(value).filter(
    ([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol',
  );
  if (members.length === 0) return yield '{}';
  yield `{${nl}`;
  for (const [i, [key, v]] of members.entries()) {
    const comma = i < members.length - 1 ? ',' : '';
    const name = `${pad}${JSON.stringify(key)}:${indent ? ' ' : ''}`;
    if (key === listKey && Array.isArray(v) && v.length > 0) {
      yield `${name}[${nl}`;
      for (const [j, item] of v.entries())
        yield `${pad}${pad}${nested(item, 2)}${j < v.length - 1 ? ',' : ''}${nl}`;
      yield `${pad}]${comma}${nl}`;
    } else {
      yield `${name}${nested(v, 1)}${comma}${nl}`;
    }
  }
  yield '}';
}

/** Text pieces as UTF-8 chunks of about `size` characters (a longer piece is cut, never inside a character). */
export function* utf8Chunks(pieces: Iterable<string>, size = CHUNK_CHARS): Generator<Uint8Array> {
  const encoder = new TextEncoder();
  let held: string[] = [];
  let chars = 0;
  for (let piece of pieces) {
    while (chars + piece.length > size) {
      let cut = size - chars;
      // Not between the two halves of a surrogate pair (a chunk of one character may hold both).
      if (/[\uD800-\uDBFF]/.test(piece.charAt(cut - 1))) cut += chars === 0 && cut === 1 ? 1 : -1;
      held.push(piece.slice(0, cut));
      yield encoder.encode(held.join(''));
      held = [];
      chars = 0;
      piece = piece.slice(cut);
    }
    held.push(piece);
    chars += piece.length;
  }
  if (chars > 0) yield encoder.encode(held.join(''));
}

/**
 * The body of `JSON.stringify(value)`, its list `listKey` serialised a chunk at a time as the
 * reader asks, each chunk in a task of its own: a large answer made on the event loop holds it
 * for one chunk at a time, not for the whole text (5,000 entries, 2 MB and more).
 */
export function jsonStream(value: Record<string, unknown>, listKey: string): ReadableStream<Uint8Array> {
  const chunks = utf8Chunks(jsonPieces(value, listKey));
  return new ReadableStream<Uint8Array>(
    {
      pull: async (controller) => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        const next = chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      cancel: () => void chunks.return(undefined),
    },
    { highWaterMark: 0 }, // made only when the reader wants more
  );
}
