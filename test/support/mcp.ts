// What tests of the MCP server share, over stdio and over HTTP: its tools, and a tool answer's text.

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
