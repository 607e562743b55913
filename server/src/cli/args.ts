// A command's arguments, declared once: its positionals and flags as zod schemas, parsed by
// node:util's parseArgs (strict: an unknown flag or a missing value is refused) and validated in
// the order declared, positionals first. What comes back is typed; what is wrong becomes a
// `cli.usage` error naming the flag or argument, which the entry point prints and exits 2 on.
import { parseArgs } from 'node:util';
import { SitrepError, describeIssues } from '@sitrep/shared';
import { z } from 'zod';

export const usage = (message: string) => new SitrepError('cli.usage', message);

/** One command of `sitrep`: its arguments in; an exit code out, when not 0. */
// biome-ignore lint/suspicious/noConfusingVoidType: a command body that returns nothing exits 0
export type Command = (argv: readonly string[]) => Promise<number | void>;

/** `value` by `schema`, or a usage error "invalid <what>: <issues>". */
export function check<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw usage(`invalid ${what}: ${describeIssues(r.error.issues).join('; ')}`);
  return r.data;
}

/**
 * A flag is its schema over what parseArgs gives: a boolean schema makes a switch, an array
 * schema a repeatable string flag, anything else a flag that takes one string. Make it optional
 * unless the command cannot run without it.
 */
export type Flags = Record<string, z.ZodType>;

/** An argument: what the message calls it, its schema, and the whole message when it is wrong. */
export type Positional = readonly [what: string, schema: z.ZodType, message?: string];

export interface ArgSpec {
  positionals?: readonly Positional[];
  flags?: Flags;
}

/** The values of positionals, in their order. */
type ArgValues<P extends readonly Positional[]> = { -readonly [I in keyof P]: z.output<P[I][1]> };

export type Parsed<S extends ArgSpec> = {
  args: S['positionals'] extends readonly Positional[] ? ArgValues<S['positionals']> : [];
  flags: S['flags'] extends Flags
    ? { [K in keyof S['flags']]: z.output<S['flags'][K]> }
    : Record<never, never>;
};

/** The flags of every command that talks to a server over HTTP. */
export const CLIENT_FLAGS = {
  server: z.string().optional(),
  token: z.string().optional(),
  json: z.boolean().optional(),
  'author-id': z.string().optional(),
  'author-name': z.string().optional(),
  harness: z.string().optional(),
} satisfies Flags;

/** What parseArgs should read for a flag with this schema. */
function optionOf(schema: z.ZodType): { type: 'string' | 'boolean'; multiple?: true } {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
  if (inner instanceof z.ZodBoolean) return { type: 'boolean' };
  if (inner instanceof z.ZodArray) return { type: 'string', multiple: true };
  return { type: 'string' };
}

export function parse<const S extends ArgSpec>(argv: readonly string[], spec: S): Parsed<S> {
  const flags: Flags = spec.flags ?? {};
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    const options = Object.fromEntries(
      Object.entries(flags).map(([name, schema]) => [name, optionOf(schema)]),
    );
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw usage((err as Error).message);
  }
  const args = (spec.positionals ?? []).map(([what, schema, message], i) => {
    if (message === undefined) return check(schema, parsed.positionals[i], what);
    const r = schema.safeParse(parsed.positionals[i]);
    if (!r.success) throw usage(message);
    return r.data;
  });
  const values = Object.fromEntries(
    Object.entries(flags).map(([name, schema]) => [name, check(schema, parsed.values[name], `--${name}`)]),
  );
  return { args, flags: values } as Parsed<S>;
}

/** A command that runs the subcommand its first argument names, or fails with `message`. */
export function subcommands(table: Record<string, Command>, message: string): Command {
  return async ([name, ...rest]) => {
    const run = name !== undefined && Object.hasOwn(table, name) ? table[name] : undefined;
    if (!run) throw usage(message);
    return run(rest);
  };
}

/** A comma-separated flag as a list, without blanks. */
export const list = (v: string | undefined) =>
  v
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
