// Splitting a list into batches that each fit a size: server-made updates (under the gate's
// count per update), log append statements, the CLI's import parts (so it lives in shared: the
// CLI's client side loads nothing of the server).

/** The size of a value as its JSON text. */
const jsonChars = (value: unknown) => JSON.stringify(value).length;

/**
 * Splits items into runs, in order, whose sizes add up to at most `limit` (a single larger item
 * goes alone) and that hold at most `count` items. The size is the item's JSON length unless given.
 */
export function bySize<T>(
  items: readonly T[],
  limit: number,
  count = Infinity,
  sizeOf: (item: T) => number = jsonChars,
): T[][] {
  const parts: T[][] = [];
  let part: T[] = [];
  let size = 0;
  for (const item of items) {
    const n = sizeOf(item);
    if (part.length > 0 && (size + n > limit || part.length === count)) {
      parts.push(part);
      part = [];
      size = 0;
    }
    part.push(item);
    size += n;
  }
  if (part.length > 0) parts.push(part);
  return parts;
}
