// A search result's snippet as runs of text: the server wraps each match in `**` (shared/src/
// memory.ts); the dashboard shows matches as highlights. The snippet is only ever text: it is
// never parsed as Markdown or HTML, so nothing in it can become markup.

export interface SnippetRun {
  text: string;
  match: boolean;
}

const MARK = '**';

/**
 * The snippet split at its `**` marks, alternating plain and matched text. A mark with no partner
 * (an odd one out, from text that held `**` itself) stays as text; empty runs are left out, and
 * matches with only spaces between them are one run.
 */
export function snippetRuns(snippet: string): SnippetRun[] {
  const parts = snippet.split(MARK);
  // An even number of parts means an odd number of marks: the last one is text, not a mark.
  if (parts.length % 2 === 0) parts.splice(-2, 2, `${parts.at(-2)}${MARK}${parts.at(-1)}`);
  // Spaces alone between two matches (`**too** **many**`) join them into one highlight.
  const joined = parts.map((text, i) =>
    i % 2 === 0 && i > 0 && i < parts.length - 1 && /^\s+$/.test(text)
      ? { text, match: true }
      : { text, match: i % 2 === 1 },
  );
  const runs: SnippetRun[] = [];
  for (const { text, match } of joined) {
    if (!text) continue;
    const last = runs.at(-1);
    if (last && last.match === match) last.text += text;
    else runs.push({ text, match });
  }
  return runs;
}
