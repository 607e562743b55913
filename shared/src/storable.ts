// Values Postgres can store. Its text and jsonb types refuse U+0000 (NUL) and its timestamps the
// year 0000, and one write holding either would fail the whole group commit, the other writers'
// updates with it; so input holding them is refused where it arrives, before anything is
// applied or written.
import { z } from 'zod';

export const NUL_MESSAGE = 'must not contain U+0000 (NUL), which Postgres cannot store';

/**
 * Whether any string in a JSON-like value, keys included, holds U+0000. Iterative, so a request
 * body nested a million deep is walked without overflowing the stack.
 */
export function containsNul(value: unknown): boolean {
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\0')) return true;
    } else if (Array.isArray(v)) {
      for (const item of v) stack.push(item);
    } else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        if (key.includes('\0')) return true;
        stack.push(item);
      }
    }
  }
  return false;
}

/** A string schema that refuses U+0000; chain `.min()` / `.max()` on it as on any string. */
export const storableString = () => z.string().refine((s) => !s.includes('\0'), NUL_MESSAGE);

/** An ISO 8601 time with an offset, in year 0001 or later: Postgres has no year 0000. */
export const isoTime = () => z.iso.datetime({ offset: true }).refine((s) => !s.startsWith('0000'), 'must be in year 0001 or later');
