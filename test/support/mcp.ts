// What tests of the MCP server share, over stdio and over HTTP: its tools, a tool answer's text,
// and the bad arguments its memory tools must answer with a tool error.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

/** Every tool of the sitrep MCP server, sorted. */
export const MCP_TOOLS = [
  'add_note',
  'answer_question',
  'find_related_incidents',
  'get_brief',
  'list_theories',
  'push_finding',
  'push_theory',
  'record_dataset',
  'record_decision',
  'record_gap',
  'reject_theory',
  'reopen_theory',
  'search_corpus',
  'search_entries',
];

/** The text of a tool's answer. */
export const textOf = (r: unknown) => (r as { content?: { text?: string }[] }).content?.[0]?.text ?? '';

/**
 * Bad arguments to the memory tools, each of which must be a tool error (`isError`) that says
 * what is wrong, never a crash of the server or a protocol error: an empty query, one over
 * 1 KiB in characters and one over 1 KiB only in UTF-8 bytes, limits out of range, an entry id
 * that is no id and one this incident does not hold.
 */
const BAD_MEMORY_CALLS: { name: string; arguments: Record<string, unknown>; says: RegExp }[] = [
  { name: 'search_corpus', arguments: { text: '' }, says: /text/ },
  { name: 'search_corpus', arguments: { text: 'x'.repeat(1025) }, says: /text/ },
  { name: 'search_corpus', arguments: { text: '€'.repeat(400) }, says: /1024 bytes/ },
  { name: 'search_corpus', arguments: { text: 'pool', limit: 0 }, says: /limit/ },
  { name: 'search_corpus', arguments: { text: 'pool', limit: 101 }, says: /limit/ },
  { name: 'find_related_incidents', arguments: { limit: 21 }, says: /limit/ },
  { name: 'find_related_incidents', arguments: { entry: 'not an id' }, says: /entry/ },
  { name: 'find_related_incidents', arguments: { entry: '01JDC7Q6ZB4ND3X2Y0T8K9H1QF' }, says: /no entry/ },
];

/** Query text that is plain words to search, whatever it looks like: found nothing, never an error. */
const ODD_QUERIES = [`'; drop table entries; --`, 'a & !b | c:* <-> "d', '\\x00 %_ $1'];

/**
 * What went wrong when `client` made each bad call, each odd query and then a good call; [] when
 * every bad call was a tool error saying what is wrong and the server kept answering.
 */
export async function badInputProblems(client: Client): Promise<string[]> {
  const problems: string[] = [];
  const call = (name: string, args: Record<string, unknown>) =>
    client.callTool({ name, arguments: args }).then(
      (r) => ({ isError: r.isError === true, text: textOf(r) }),
      (err: unknown) => ({ isError: false, text: `threw ${String(err)}` }),
    );
  for (const bad of BAD_MEMORY_CALLS) {
    const r = await call(bad.name, bad.arguments);
    if (!r.isError || !bad.says.test(r.text))
      problems.push(`${bad.name} ${JSON.stringify(bad.arguments).slice(0, 60)}: ${r.text.slice(0, 200)}`);
  }
  for (const q of [...ODD_QUERIES, 'pool']) {
    const r = await call('search_corpus', { text: q });
    if (r.isError) problems.push(`search_corpus ${JSON.stringify(q)}: ${r.text.slice(0, 200)}`);
  }
  return problems;
}
