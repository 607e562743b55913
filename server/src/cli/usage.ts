// `sitrep usage <incident>`: the incident's AI usage, its harnesses' by author and model beside
// the summarizer's, in tokens and money at list prices.
import { IncidentId, type TokenCounts, type UsageResponse, totalTokens } from '@sitrep/shared';
import { CLIENT_FLAGS, type Command, parse } from './args.js';
import { client } from './client.js';

const ARGS = { positionals: [['incident id', IncidentId]], flags: CLIENT_FLAGS } as const;

const n = (v: number) => v.toLocaleString('en-US');
const usd = (v: number | null) => (v === null ? 'no price' : `$${v.toFixed(v < 1 ? 4 : 2)}`);
const counts = (t: TokenCounts) =>
  `${n(t.input)} in, ${n(t.output)} out, ${n(t.cacheRead)} cache read, ${n(t.cacheCreation)} cache write`;
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The usage as lines of text: a line per author and model, per summarizer model, then the totals. */
export function usageText(u: UsageResponse): string {
  const lines = [`AI usage of ${u.incident} (costs at list prices)`, '', 'Harnesses:'];
  if (!u.harness.length) lines.push('  none reported');
  for (const l of u.harness) {
    const reported = l.reportedCostUsd === null ? '' : `; reported ${usd(l.reportedCostUsd)}`;
    lines.push(
      `  ${l.author.name} · ${l.model || '(unknown model)'} · ${plural(l.sessions, 'session')}: ` +
        `${counts(l.tokens)}; ${usd(l.costUsd)}${reported}`,
    );
  }
  lines.push('', 'Summarizer:');
  if (!u.summarizer.length) lines.push('  no runs');
  for (const l of u.summarizer)
    lines.push(`  ${l.model} · ${plural(l.runs, 'run')}: ${counts(l.tokens)}; ${usd(l.costUsd)}`);
  const { harness, summarizer } = u.totals;
  lines.push(
    '',
    `Total: harnesses ${n(totalTokens(harness.tokens))} tokens, ${usd(harness.costUsd)}; ` +
      `summarizer ${n(totalTokens(summarizer.tokens))} tokens, ${usd(summarizer.costUsd)}`,
  );
  if (u.unpriced.length)
    lines.push(`No price for ${u.unpriced.join(', ')}: set SITREP_MODEL_PRICES on the server.`);
  return lines.join('\n');
}

const usage: Command = async (argv) => {
  const {
    args: [incident],
    flags: v,
  } = parse(argv, ARGS);
  const res = await (await client(v)).usage(incident);
  console.log(v.json ? JSON.stringify(res, null, 2) : usageText(res));
};
export default usage;
