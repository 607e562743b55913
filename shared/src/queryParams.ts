// Schemas for values a URL's query string carries, where everything arrives as text.
import { z } from 'zod';

/**
 * A yes/no parameter: `true` or `false` as text, read as a boolean; left out, `byDefault`. Any
 * other text is refused.
 */
export const queryFlag = (byDefault = false) =>
  z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? byDefault : v === 'true'));

/** Query values as a URL carries them: text, the undefined ones left out. */
export function queryValues(
  q: Record<string, string | number | boolean | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (v !== undefined) out[k] = String(v);
  return out;
}
