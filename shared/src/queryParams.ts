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
