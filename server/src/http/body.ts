// Request input: JSON bodies and query strings parsed by zod schemas into SitrepErrors.
import { UNSTORABLE_MESSAGE, SitrepError, containsUnstorable, describeIssues } from '@sitrep/shared';
import type { Context } from 'hono';
import type { z } from 'zod';

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

export function parse<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.infer<S> {
  if (containsUnstorable(raw)) throw new SitrepError('request.invalid', `invalid ${what}: text ${UNSTORABLE_MESSAGE}`);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error.issues);
    throw new SitrepError('request.invalid', `invalid ${what}: ${issues.slice(0, 3).join('; ')}`, issues);
  }
  return parsed.data;
}
