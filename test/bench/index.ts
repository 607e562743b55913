// `pnpm bench`: runs each benchmark in turn and prints its table. BENCH=fanout,load picks
// some; each benchmark's own options are at the top of its file.
const BENCHMARKS = [
  'fanout',
  'idle',
  'ingest',
  'insights',
  'load',
  'many',
  'memory',
  'sanitizer',
  'summarizer',
  'syncFlood',
  'views',
] as const;
const only = process.env.BENCH?.split(',');
for (const name of BENCHMARKS) {
  if (only && !only.includes(name)) continue;
  console.log(`\n## ${name}`);
  await import(`./${name}.js`);
}
// Providers and pools of finished benchmarks may keep handles open: the run ends here.
process.exit(0);
