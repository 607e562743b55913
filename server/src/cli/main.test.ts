import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES, USAGE, main } from './main.js';

let out: string[];
let err: string[];
beforeEach(() => {
  // Should `serve` ever take a flag it must refuse, it fails on this port rather than start a server.
  vi.stubEnv('SITREP_PORT', 'none');
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** The arguments that reach each command's flags (incident, token and drill want a subcommand first). */
const reach = (name: string) =>
  name === 'incident' || name === 'token' ? [name, 'list'] : name === 'drill' ? [name, 'report'] : [name];

describe('sitrep entry point', () => {
  it('prints the usage for help, and exits 2 with it when no command is given', async () => {
    for (const help of ['help', '--help', '-h']) expect(await main([help])).toBe(0);
    expect(await main([])).toBe(2);
    expect(out).toEqual([USAGE, USAGE, USAGE, USAGE]);
    for (const name of COMMAND_NAMES) expect(USAGE).toContain(`\n  ${name} `);
  });

  it('refuses an unknown command, even one named like an object property, with exit code 2', async () => {
    for (const name of ['frobnicate', 'constructor', 'toString', '__proto__']) {
      err = [];
      expect(await main([name])).toBe(2);
      expect(err).toEqual([`sitrep: unknown command "${name}"`, 'run "sitrep help" for usage']);
    }
  });

  // hook takes no flags (it must never block the harness) and reads stdin: the harness tests run it.
  it.each(COMMAND_NAMES.filter((n) => n !== 'hook'))(
    '%s refuses an unknown flag by its name with exit code 2',
    async (name) => {
      expect(await main([...reach(name), '--no-such-flag'])).toBe(2);
      expect(err[0]).toMatch(/^sitrep: Unknown option '--no-such-flag'/);
      expect(err[1]).toBe('run "sitrep help" for usage');
      expect(out).toEqual([]);
    },
  );

  it('names a flag with a bad value', async () => {
    expect(await main(['entries', 'demo', '--limit', 'many'])).toBe(2);
    expect(err[0]).toBe('sitrep: invalid --limit: Invalid input: expected number, received NaN');
  });

  it('exits 1, without the usage hint, when the server cannot be reached', async () => {
    expect(await main(['entries', 'demo', '--server', 'http://127.0.0.1:9', '--token', 'x'])).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^sitrep: cannot reach sitrep at http:\/\/127\.0\.0\.1:9/);
  });
});
