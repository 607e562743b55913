// Builds the installable `sitrep` package and its tarball (`pnpm package`, which builds the
// dashboard first): the CLI and server bundled by esbuild into JavaScript (shared inlined, no
// TypeScript or tsx at run time), the migrations and the built dashboard beside it, and PGlite
// shipped inside the tarball as a bundled dependency, so `npm install -g ./sitrep-<version>.tgz`
// needs nothing else, not even the registry. Why this layout: docs/decisions.md ("The installable
// package"). Run it as `node --import tsx scripts/package.ts [--dir DIR] [--out DIR]`.
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type Metafile, build } from 'esbuild';
import { COMMAND_NAMES } from '../server/src/cli/main.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const at = (path: string) => join(ROOT, path);

/** The bundle's entries: the CLI, and the worker threads' bodies, which run by URL (server/src/worker/WorkerThread.ts). */
const ENTRIES = {
  sitrep: 'server/src/cli/main.ts',
  snapshotWorker: 'server/src/room/snapshotWorker.ts',
  documentWorker: 'server/src/export/documentWorker.ts',
};

/** Files a bundled module reads from beside itself, copied into dist/ beside the bundle. */
const BESIDE = ['server/src/export/report.css'];

/**
 * Left out of the bundle and shipped in the package's own node_modules: PGlite finds its wasm and
 * data files beside its modules (import.meta.url), which a bundle would move.
 */
const SHIPPED = ['@electric-sql/pglite'];

/** Packages only the server uses: a client command that reaches one carries the server along. */
const SERVER_PACKAGES = [
  ...SHIPPED,
  'hono',
  '@hono/node-server',
  'drizzle-orm',
  'postgres',
  'pino',
  'prom-client',
  '@anthropic-ai/sdk',
  'ws',
];
/** The sources a client command may reach: the CLI, the harness side, shared, and packageFiles.ts. */
const CLIENT_SOURCE = /^(server\/src\/(cli|harness)\/|server\/src\/packageFiles\.ts$|shared\/src\/)/;

/** The commands that talk to a server rather than run one. */
export const CLIENT_COMMANDS = COMMAND_NAMES.filter((name) => name !== 'serve');

type Json = Record<string, unknown>;

async function readJson(path: string): Promise<Json> {
  const value: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new Error(`${path} is not a JSON object`);
  return value as Json;
}

/** A string field of a JSON object, or an error naming the file and field. */
function text(json: Json, key: string, file: string): string {
  const value = json[key];
  if (typeof value !== 'string') throw new Error(`${file} has no "${key}"`);
  return value;
}

export interface BuiltPackage {
  /** The package's folder, as it is packed. */
  dir: string;
  tarball: string;
  metafile: Metafile;
}

/**
 * Everything the bundle output of `source` (an entry or a lazily imported module) brings in when
 * it runs: the sources and packages bundled into the outputs it imports, statically or lazily,
 * and the packages it leaves to run time.
 */
export function reachedFrom(metafile: Metafile, source: string): string[] {
  const outputs = metafile.outputs;
  const start = Object.keys(outputs).find((o) => outputs[o]?.entryPoint === source);
  if (start === undefined) throw new Error(`the bundle has no output for ${source}`);
  const seen = new Set<string>();
  const reached = new Set<string>();
  const stack = [start];
  for (let o = stack.pop(); o !== undefined; o = stack.pop()) {
    if (seen.has(o)) continue;
    seen.add(o);
    const output = outputs[o];
    if (!output) continue;
    for (const input of Object.keys(output.inputs)) reached.add(input);
    for (const i of output.imports) i.external ? reached.add(i.path) : stack.push(i.path);
  }
  return [...reached].sort();
}

/** What of the server a command's bundle reaches: sources outside the client side, server-only packages. */
export function serverPartsReached(metafile: Metafile, command: string): string[] {
  return reachedFrom(metafile, `server/src/cli/${command}.ts`).filter((p) =>
    p.startsWith('server/')
      ? !CLIENT_SOURCE.test(p)
      : SERVER_PACKAGES.some((pkg) => p === pkg || p.includes(`node_modules/${pkg}/`)),
  );
}

/** Throws unless the bundle keeps every client command off the server, and bundles the patched driver. */
export function checkBundle(metafile: Metafile): void {
  for (const command of CLIENT_COMMANDS) {
    const parts = serverPartsReached(metafile, command);
    if (parts.length > 0) throw new Error(`sitrep ${command} would load the server: ${parts.join(', ')}`);
  }
  // The driver's fix (patches/, docs/decisions.md) travels inside the bundle, applied by pnpm to the
  // copy esbuild read; an install without it would bring the crash back.
  const drivers = Object.keys(metafile.inputs).filter((i) => i.includes('node_modules/postgres/'));
  const unpatched = drivers.filter((i) => !/\/postgres@[^/]*_patch_hash=/.test(i));
  if (drivers.length === 0 || unpatched.length > 0)
    throw new Error(`the bundle's postgres driver is not the patched one: ${unpatched[0] ?? 'none bundled'}`);
}

async function bundle(dist: string): Promise<Metafile> {
  const { metafile } = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: dist,
    bundle: true,
    splitting: true, // each command stays a module of its own, loaded only when named
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    external: SHIPPED,
    define: { SITREP_BUNDLED: 'true' },
    // CommonJS packages inside an ES module bundle still call require() for Node's modules.
    banner: {
      js: "import { createRequire as sitrepRequire } from 'node:module';\nconst require = sitrepRequire(import.meta.url);",
    },
    metafile: true,
    logLevel: 'warning',
  });
  return metafile;
}

/** The package's package.json: the repository's name, version and description, and what it ships. */
async function manifest(): Promise<Record<string, unknown>> {
  const root = await readJson(at('package.json'));
  const shipped: Record<string, string> = {};
  for (const name of SHIPPED) {
    const file = at(`server/node_modules/${name}/package.json`);
    shipped[name] = text(await readJson(file), 'version', file); // the version the tests ran on
  }
  return {
    name: text(root, 'name', 'package.json'),
    version: text(root, 'version', 'package.json'),
    description: text(root, 'description', 'package.json'),
    type: 'module',
    bin: { sitrep: 'bin/sitrep.js' },
    engines: root.engines,
    files: ['bin', 'dist', 'migrations', 'web/dist'],
    dependencies: shipped,
    bundleDependencies: SHIPPED,
  };
}

const EXECUTABLE = `#!/usr/bin/env node
// The sitrep executable of the installed package: runs the bundled CLI.
import { run } from '../dist/sitrep.js';

await run(process.argv.slice(2));
`;

/** How a package folder gets a file or folder of the repository: copied, or linked to where it is. */
type Place = (from: string, to: string) => Promise<void>;
const copy: Place = (from, to) => cp(from, to, { recursive: true });
const link: Place = async (from, to) => {
  await mkdir(dirname(to), { recursive: true });
  await symlink(from, to);
};

/** Lays the package's folder out in `dir` (emptied first): the bundle, then the repository's files placed. */
async function layOut(dir: string, place: Place): Promise<Metafile> {
  await rm(dir, { recursive: true, force: true });
  const metafile = await bundle(join(dir, 'dist'));
  checkBundle(metafile);
  for (const file of BESIDE) await cp(at(file), join(dir, 'dist', file.split('/').pop() ?? file));
  await place(at('migrations'), join(dir, 'migrations'));
  await place(at('web/dist'), join(dir, 'web/dist'));
  for (const name of SHIPPED)
    await place(await realpath(at(`server/node_modules/${name}`)), join(dir, 'node_modules', name));
  await mkdir(join(dir, 'bin'));
  await writeFile(join(dir, 'bin/sitrep.js'), EXECUTABLE, { mode: 0o755 });
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(await manifest(), null, 2)}\n`);
  await cp(at('README.md'), join(dir, 'README.md'));
  return metafile;
}

/**
 * The package's folder in `dir` with the migrations, the dashboard and PGlite linked, not copied:
 * the same bundle and executable in about a second, for the tests' `sitrep` processes
 * (test/support/globalSetup.ts). A dashboard not built yet is a dangling link, as missing as it
 * is from source.
 */
export async function buildLinked(dir: string): Promise<string> {
  await layOut(dir, link);
  return join(dir, 'bin/sitrep.js');
}

/** Builds the package into `dir` (emptied first) and packs it into `out`. */
export async function buildPackage(dir: string, out: string): Promise<BuiltPackage> {
  if (!existsSync(at('web/dist/index.html')))
    throw new Error('the dashboard is not built: run `pnpm build` first');
  const metafile = await layOut(dir, copy);
  await mkdir(out, { recursive: true });
  // Without the npm_config_* settings pnpm passes to its scripts, which npm does not know.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k)));
  const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', resolve(out)], {
    cwd: dir,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [result] = JSON.parse(packed) as Json[];
  if (!result) throw new Error(`npm pack said nothing about what it packed: ${packed}`);
  return { dir, tarball: join(resolve(out), text(result, 'filename', 'npm pack --json')), metafile };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { dir: { type: 'string' }, out: { type: 'string' } } });
  const built = await buildPackage(
    resolve(values.dir ?? at('dist/sitrep')),
    resolve(values.out ?? at('dist')),
  );
  console.log(relative(process.cwd(), built.tarball));
}
