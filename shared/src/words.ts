// What words say nothing, and how words are brought to a common stem: one home for both, used
// where text is compared by its words (which theories say the same thing, in seenBefore.ts) and
// where it is matched across incidents (the server's incident memory).

/** Words too common to say anything: English function words and incident boilerplate. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all also am an and any are as at be because been before being below
  between both but by can could did do does doing down during each every few for from further had has have
  having he her here hers him his how i if in into is it its itself just less me more most my no nor not now
  of off on once onto only or other our ours out over own same she should so some such than that the their
  theirs them then there these they this those through to too under until up us very was we were what when
  where which while who whom why will with would you your yours yes let lets get got see saw seen look
  looks looked looking think thought seems seem like may might must need needs one two three still
  already back new old via per using used use around across something anything nothing everything
  someone anyone people team maybe perhaps probably likely theory we're it's that's there's don't
  doesn't didn't isn't wasn't can't won't i'm we've they're`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * A crude English stem: "pods" and "pod", "expired", "expires" and "expiring" come out the same.
 * Words are compared by their stems (and matched by them as a prefix); it is not a dictionary
 * stemmer, so it errs towards leaving a word whole.
 */
export function stem(word: string): string {
  let w = word.length > 3 ? word.replace(/([^siu])s$/, '$1') : word;
  if (w.length > 5) w = w.replace(/(?:ing|ed)$/, '');
  return w.length > 4 ? w.replace(/e$/, '') : w;
}
