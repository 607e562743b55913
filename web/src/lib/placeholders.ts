// What the sanitizer left in place of what it removed, found in text so the dashboard can show it
// as a mark of its own rather than as words someone wrote: a secret, `[REDACTED:rule]`, or a
// private datum, `[email-3f9a2c]` (the type and six hex digits, the same datum everywhere in one
// incident). The shapes are docs/sanitizer.md's.
import { MARKER_PATTERN } from '@sitrep/shared';

/** One run of text: as written, or a placeholder and what it stands for. */
export interface Segment {
  text: string;
  placeholder?: { kind: 'secret' | 'private'; label: string };
}

const PRIVATE_NAMES: Record<string, string> = {
  email: 'an e-mail address',
  phone: 'a phone number',
  card: 'a payment card number',
  iban: 'an IBAN',
  ssn: 'a US social security number',
  nino: 'a UK National Insurance number',
};

/** The sanitizer's own pattern of what it writes (`MARKER_PATTERN`): the rule, or the type and tag. */
export const PLACEHOLDER = MARKER_PATTERN;

/** What a placeholder stands for, in words (for a tooltip and screen readers). */
function labelOf(m: RegExpExecArray): Segment['placeholder'] {
  if (m[1] !== undefined) return { kind: 'secret', label: `secret removed (${m[1]})` };
  return {
    kind: 'private',
    label: `${PRIVATE_NAMES[m[2] ?? ''] ?? 'private data'} removed, the same one wherever ${m[0]} appears`,
  };
}

/** The text cut into runs, placeholders apart. */
export function segments(text: string): Segment[] {
  const out: Segment[] = [];
  let from = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m.index > from) out.push({ text: text.slice(from, m.index) });
    out.push({ text: m[0], placeholder: labelOf(m as RegExpExecArray) });
    from = m.index + m[0].length;
  }
  if (from < text.length || out.length === 0) out.push({ text: text.slice(from) });
  return out;
}
