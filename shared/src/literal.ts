// A string as a literal in a regular expression: the one escape of its special characters, for
// patterns made of listed words (secretlint's keywords, blame's keys, an export's names).

/** `s` with every character special in a RegExp escaped: `new RegExp(literal(s))` matches `s` only. */
export const literal = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
