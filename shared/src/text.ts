// Text that Postgres can store. Its text and jsonb types refuse U+0000 (NUL), and one write
// holding it would fail the whole group commit, the other writers' updates with it; so input is
// refused with NUL where it arrives, before anything is applied or written.
import { z } from 'zod';

export const NUL_MESSAGE = 'must not contain U+0000 (NUL), which Postgres cannot store';

/** Whether any string in a JSON-like value, keys included, holds U+0000. */
export function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([key, v]) => key.includes('\0') || containsNul(v));
  }
  return false;
}

/** A string schema that refuses U+0000; chain `.min()` / `.max()` on it as on any string. */
export const storableString = () => z.string().refine((s) => !s.includes('\0'), NUL_MESSAGE);
