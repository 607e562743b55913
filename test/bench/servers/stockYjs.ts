// Stock Yjs and lib0 for the baseline servers of the fan-out benchmark. sitrep patches both
// (patches/), and pnpm installs one copy for the whole workspace, so @y/websocket-server and
// Hocuspocus would otherwise run on sitrep's patched copies, not on what their users run. This
// copies the installed packages to a temporary folder, takes sitrep's patches back out with
// `patch -R`, and returns node arguments whose resolve hook sends `yjs` and `lib0` imports there.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PATCHED = [
  { name: 'yjs', patch: 'patches/yjs@13.6.33.patch' },
  { name: 'lib0', patch: 'patches/lib0@0.2.120.patch' },
];

const HOOKS = `// Resolves yjs and lib0 from the stock copies beside this file.
const here = new URL('./resolve-from-here.mjs', import.meta.url).href;
export async function resolve(specifier, context, next) {
  const stock = specifier === 'yjs' || specifier === 'lib0' || specifier.startsWith('yjs/') || specifier.startsWith('lib0/');
  return next(specifier, stock ? { ...context, parentURL: here } : context);
}
`;

/** Node arguments that make a child process import stock Yjs and lib0; builds them once per run. */
export function stockYjsArgs(root: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-bench-stock-'));
  for (const { name, patch } of PATCHED) {
    const target = join(dir, 'node_modules', name);
    cpSync(realpathSync(join(root, 'node_modules', name)), target, { recursive: true, dereference: true });
    const out = spawnSync('patch', ['-R', '-p1', '-s', '-i', join(root, patch)], { cwd: target, encoding: 'utf8' });
    if (out.error || out.status !== 0) {
      throw new Error(`could not take ${patch} out of a copy of ${name} (needs \`patch\`, Debian package patch): ${out.error?.message ?? out.stderr}`);
    }
  }
  if (readFileSync(join(dir, 'node_modules/yjs/dist/yjs.mjs'), 'utf8').includes('sitrep patch')) throw new Error('stock yjs copy is still patched');
  writeFileSync(join(dir, 'hooks.mjs'), HOOKS);
  writeFileSync(join(dir, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
  return ['--import', join(dir, 'register.mjs')];
}
