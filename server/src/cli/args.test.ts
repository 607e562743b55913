import { EntryKind, SitrepError } from '@sitrep/shared';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CLIENT_FLAGS, parse, subcommands } from './args.js';

/** The message of the usage error `f` throws. */
function refusal(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(SitrepError);
    expect((err as SitrepError).code).toBe('cli.usage');
    return (err as SitrepError).message;
  }
  throw new Error('expected a usage error');
}

const SPEC = {
  positionals: [['incident id', z.string().regex(/^[a-z]+$/, 'must be lower case')]],
  flags: {
    ...CLIENT_FLAGS,
    kind: EntryKind.optional(),
    limit: z.coerce.number().int().min(1).optional(),
    format: z.enum(['json', 'transcript']).default('json'),
    evidence: z.array(z.string()).optional(),
  },
} as const;

describe('command arguments', () => {
  it('gives positionals and flags typed and validated', () => {
    const { args, flags } = parse(
      ['demo', '--kind', 'theory', '--limit', '20', '--json', '--evidence', 'a', '--evidence', 'b=http://x'],
      SPEC,
    );
    expect(args).toEqual(['demo']);
    expect(flags).toMatchObject({
      kind: 'theory',
      limit: 20,
      json: true,
      format: 'json',
      evidence: ['a', 'b=http://x'],
      server: undefined,
    });
  });

  it('refuses an unknown flag by its name', () => {
    expect(refusal(() => parse(['demo', '--colour', 'red'], SPEC))).toMatch(/^Unknown option '--colour'/);
  });

  it('refuses a flag without its value, and a value given to a switch', () => {
    expect(refusal(() => parse(['demo', '--kind'], SPEC))).toBe("Option '--kind <value>' argument missing");
    expect(refusal(() => parse(['demo', '--json=yes'], SPEC))).toBe(
      "Option '--json' does not take an argument",
    );
  });

  it('refuses a bad value naming the flag and saying what is wrong', () => {
    expect(refusal(() => parse(['demo', '--limit', '0'], SPEC))).toBe(
      'invalid --limit: Too small: expected number to be >=1',
    );
    expect(refusal(() => parse(['demo', '--format', 'csv'], SPEC))).toBe(
      'invalid --format: Invalid option: expected one of "json"|"transcript"',
    );
  });

  it('refuses a missing flag the command cannot do without', () => {
    expect(refusal(() => parse([], { flags: { reason: z.string().min(1) } }))).toBe(
      'invalid --reason: Invalid input: expected string, received undefined',
    );
  });

  it('checks positionals first, in order, then flags in the order declared', () => {
    expect(refusal(() => parse(['Bad', '--limit', '0'], SPEC))).toBe(
      'invalid incident id: must be lower case',
    );
    expect(refusal(() => parse(['--limit', '0'], SPEC))).toBe(
      'invalid incident id: Invalid input: expected string, received undefined',
    );
    expect(refusal(() => parse(['demo', '--limit', '0', '--kind', 'rumour'], SPEC))).toMatch(
      /^invalid --kind: /,
    );
  });

  it('gives a positional its own message when it says one', () => {
    const spec = { positionals: [['file', z.string(), 'import needs a file (or - for stdin)']] } as const;
    expect(refusal(() => parse([], spec))).toBe('import needs a file (or - for stdin)');
    expect(parse(['-'], spec).args).toEqual(['-']);
  });
});

describe('subcommands', () => {
  const run = subcommands(
    { list: async (argv) => argv.length },
    'token needs a subcommand: create, list or revoke',
  );

  it('runs the one named first with the rest', async () => {
    expect(await run(['list', 'a', 'b'])).toBe(2);
  });

  it('refuses none, an unknown one, and a name an object has by inheritance', async () => {
    for (const argv of [[], ['lsit'], ['constructor'], ['__proto__']]) {
      await expect(run(argv)).rejects.toThrow('token needs a subcommand: create, list or revoke');
    }
  });
});
