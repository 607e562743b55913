// Fails when a line of source is longer than 140 characters. Biome formats code at 110 columns
// but leaves long strings, comments, regular expressions and Svelte markup as written; this
// catches those. Checks the files git tracks or would track, except golden files and generated
// migrations.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const MAX = 140;
const CHECKED = /\.(ts|js|mjs|svelte|css|html|json|jsonc)$/;
const SKIPPED = /^(test\/golden|migrations)\//;

const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
  encoding: 'utf8',
})
  .split('\0')
  .filter((f) => CHECKED.test(f) && !SKIPPED.test(f) && existsSync(f));
let long = 0;
for (const file of files) {
  for (const [i, line] of readFileSync(file, 'utf8').split('\n').entries()) {
    const width = [...line].length; // characters as a reader counts them, not UTF-16 units
    if (width <= MAX) continue;
    long++;
    console.error(`${file}:${i + 1}: ${width} characters (at most ${MAX})`);
  }
}
if (long > 0) {
  console.error(`${long} line(s) longer than ${MAX} characters`);
  process.exit(1);
}
