// Request input: JSON bodies and query strings parsed by zod schemas into SitrepErrors.
import { SitrepError, parseInput } from '@sitrep/shared';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';

/** Input parsed by its schema, or request.invalid (the rule lives in shared: the import check runs in a worker). */
export const parse = parseInput;

/** Refuses a request body over `maxBytes` (413 request.too_large) before anything reads it. */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new SitrepError('request.too_large', `the body exceeds ${maxBytes} bytes`);
    },
  });
}

export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new SitrepError('request.malformed_json', 'the request body is not valid JSON');
  }
  return parse(schema, raw, 'body');
}

export function query<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  return parse(schema, c.req.query(), 'query');
}
