// A command that talks to a server over HTTP must run without the server: it may reach the CLI's
// own modules, the harness side (server/src/harness) and a few packages, never the store, the
// room, the HTTP app or the server's dependencies. Read from the source, following static and
// lazy imports alike. scripts/package.ts checks the bundle the same way, from esbuild's metafile.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from './main.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SERVER_SRC = resolve(HERE, '..');
const CLIENT_DIRS = ['cli', 'harness'];
/** Where the installation's files are: imports nothing, so a client may ask it. */
const CLIENT_FILES = ['packageFiles.ts'];
const CLIENT_PACKAGES = [
  /^node:/,
  /^@sitrep\/shared(\/|$)/,
  /^zod$/,
  /^ulid$/,
  /^@modelcontextprotocol\/sdk\//,
];

const STATIC = /^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?\s*['"]([^'"]+)['"]/gm;
const LAZY = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The imports of a source file: `{ file }` for our own files (resolved), `{ pkg }` for packages. */
function importsOf(file: string, lazy: boolean): ({ file: string } | { pkg: string })[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(STATIC), ...(lazy ? text.matchAll(LAZY) : [])].map((m) => m[1] ?? '');
  return specs.map((s) =>
    s.startsWith('.') ? { file: resolve(dirname(file), s.replace(/\.js$/, '.ts')) } : { pkg: s },
  );
}

/** Every file and package a module reaches. */
function reach(start: string, lazy: boolean): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const i of importsOf(file, lazy)) 'pkg' in i ? packages.add(i.pkg) : visit(i.file);
  };
  visit(start);
  return { files, packages };
}

const outsideClientSide = (files: Set<string>) =>
  [...files]
    .map((f) => relative(SERVER_SRC, f))
    .filter((f) => !CLIENT_DIRS.some((d) => f.startsWith(`${d}/`)) && !CLIENT_FILES.includes(f));
const serverPackages = (packages: Set<string>) =>
  [...packages].filter((p) => !CLIENT_PACKAGES.some((re) => re.test(p)));

describe('the CLI client side', () => {
  it('reads the imports it checks', () => {
    const { files, packages } = reach(join(HERE, 'serve.ts'), true);
    expect(outsideClientSide(files)).toEqual(expect.arrayContaining(['main.ts', 'config.ts', 'demo.ts']));
    expect(packages).toContain('hono');
  });

  it.each(COMMAND_NAMES.filter((n) => n !== 'serve'))('%s loads nothing of the server', (name) => {
    const { files, packages } = reach(join(HERE, `${name}.ts`), true);
    expect(outsideClientSide(files)).toEqual([]);
    expect(serverPackages(packages)).toEqual([]);
  });

  it('the entry point loads no command until it is named', () => {
    const { files } = reach(join(HERE, 'main.ts'), false);
    expect([...files].map((f) => relative(HERE, f)).sort()).toEqual(['args.ts', 'main.ts']);
  });
});
