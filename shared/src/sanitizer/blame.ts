// Blame and judgement of people: a person named as the cause ("Dave broke prod"), judgement
// words ("careless", "human error", "fat-fingered", "should have known") and insults. The
// detector flags a sentence and says why; it never rewrites it: entries are immutable, and
// whether to reword is the writer's call. Systems are never people here: "the cache should have
// expired" and "a segmentation fault" are not flagged. Tuned on half of a labelled corpus
// (test/corpus/sanitizer/blame.ts) and measured on the other half.

export interface BlameFlag {
  /** The sentence, as written. */
  sentence: string;
  start: number;
  end: number;
  /** Why, in a few words each: what the writer should look at. */
  reasons: string[];
}

/** Capitalized words that start sentences or name systems, not people. */
const NOT_PEOPLE = new Set(
  'The A An This That These Those It Its We Our Us You Your They Their There Then When If After Before During Root Cause Once Again Yet Honestly Classic Typical Pure Incident Postgres Redis Kafka Nginx Kubernetes Terraform Grafana Datadog Sentry Stripe Helm Jenkins GitHub GitLab Checkout Payments Billing Prod Staging Production Nothing Everything Everyone Nobody Who What Why How Which Clearly Obviously Also And But So Now Today Yesterday Monday Tuesday Wednesday Thursday Friday Saturday Sunday'.split(
    ' ',
  ),
);

const PERSON = String.raw`(?:\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b|\b(?:he|she|[Hh]e|[Ss]he)\b|@[\w.-]+|\b(?:[Tt]he (?:new (?:guy|hire|engineer)|intern|contractor|dev|developer|dba|DBA|operator|person)|[Ss]ome(?:one|body)(?: on the [\w-]+ team)?|[Ww]hoever|[Oo]ps)\b)`;
const BLAME_VERB = String.raw`(?:forgot|ignored|ignoring|neglected|skipped|nuked|wiped|deleted|broke|caused|screwed|messed|botched|took (?:\w+ )?down|brought (?:\w+ )?down|pushed (?:a |the )?(?:bad|broken)|slept through|carelessly|cowboy|failed to (?:test|follow|check|read|notice|drain|escalate|update)|never (?:tests?|tested|checks?|checked|reviews?|reviewed|reads?)|did ?n[o']t (?:even )?(?:look|check|test|read|notice|bother|follow)|(?:could|can) ?n[o']t be bothered)`;

/** A rule about a person: its first group that matched, if any, must name one. */
interface Rule {
  why: string;
  pattern: RegExp;
}

const JUDGEMENT: [string, RegExp][] = [
  ['"human error"', /\bhuman error\b/i],
  ['judges care ("careless", "sloppy", "reckless", "negligent")', /\b(?:careless(?:ly|ness)?|sloppy|reckless(?:ly|ness)?|negligen(?:t|ce)|lazy|not paying attention|asleep at the wheel|dropped the ball|winging it)\b/i],
  ['judges skill ("incompetent", "clueless", "amateur")', /\b(?:incompeten(?:t|ce)|clueless|hopeless|amateur(?:ish| hour)?|rookie mistake|so-called|anyone competent|menace)\b/i],
  ['an insult', /\b(?:idiot(?:ic|s)?|moron(?:ic|s)?|stupid(?:ity)?|dumb|useless)\b/i],
  ['"fat-fingered"', /\bfat[- ]?finger(?:ed|ing|s)?\b|\bbutter ?fingers\b/i],
  ['"screwed up" / "messed up" / "botched"', /\b(?:screw(?:ed)? up|screwed|mess(?:ed)? up|botch(?:ed)?|cowboy(?:-deployed)?)\b/i],
  ['"should have known"', /\bshould(?: have|'ve|a) known\b|\bknown better\b|\bknew better\b/i],
  ['"couldn\'t be bothered"', /\b(?:could|can) ?n[o']t be bothered\b|\bdid ?n[o']t (?:even )?bother\b/i],
  ['calls for punishment', /\bshould be fired\b|\bget(?:s|ting)? fired\b|\bfire (?:him|her|them)\b|\bshould never have been (?:given|allowed)\b/i],
  ['says what a person thinks or knows', /\bwhat was (?:he|she|they) thinking\b|\bno idea what (?:he|she|they)\b|\bdoes ?n[o']t know what (?:he|she|they)\b|\bwho the hell\b/i],
];

const PERSON_RULES: Rule[] = [
  { why: 'names a person as the cause', pattern: new RegExp(`(${PERSON})\\s+(?:\\w+ly\\s+)?${BLAME_VERB}\\b`, 'g') },
  { why: "says it is a person's fault", pattern: /\b(?:(his|her|their)|([A-Z][a-z]+)'s) fault\b/g },
  { why: 'blames a person', pattern: /\b(?:[Bb]lame (?:lies with|(him|her|them|[A-Z][a-z]+)\b)|(?:is|are) to blame\b)/g },
  { why: 'names a person as the cause', pattern: /\b([A-Z][a-z]+) is the reason\b/g },
  { why: 'names a person as the cause', pattern: /\b[Tt]hanks to ([A-Z][a-z]+),/g },
  { why: 'names a person as the cause', pattern: /\b(?:[Tt]his|[Ii]t|[Tt]hat) (?:is|was) on ([A-Z][a-z]+)\b/g },
  { why: "judges a person's decision", pattern: /\b(?:[Bb]ad|[Pp]oor|[Tt]errible|[Dd]umb|[Ss]tupid) (?:call|move|decision|judg(?:e)?ment) (?:by|from|of) ([A-Z][a-z]+)\b/g },
  { why: 'names a person as the cause', pattern: /\b(?:caused|broken|deleted|wiped|nuked) by ([A-Z][a-z]+)\b/g },
  { why: "names a person's change as the cause", pattern: /\b([A-Z][a-z]+)'s (?:[\w-]+ ){0,3}(?:change|deploy|merge|migration|commit|config|push|typo|hotfix|script|PR|carelessness)\w* (?:caused|broke|wiped|took|brought|nuked)\b/g },
  { why: 'says what a person should have done', pattern: new RegExp(`(${PERSON})\\s+should(?: have|'ve)\\s+(?:checked|caught|tested|noticed|seen|read|asked|looked|escalated|double-checked|verified|been)\\b`, 'g') },
  { why: 'says what a person should have done', pattern: /\b[Ii]f ([A-Z][a-z]+) had (?:read|checked|tested|looked|listened|followed|asked)\b/g },
  { why: 'judges a person by habit ("as usual", "typical")', pattern: /\b(?:[Tt]ypical|[Cc]lassic) ([A-Z][a-z]+)\b|\b([A-Z][a-z]+), as (?:always|usual)\b|\b(?:[Oo]nce|[Yy]et) again,? (?:human error|@\w+|([A-Z][a-z]+))/g },
];

const isPerson = (word: string | undefined) => word === undefined || !NOT_PEOPLE.has(word);

/** Sentences in the text with where each starts. */
function sentences(text: string): { sentence: string; start: number }[] {
  const out: { sentence: string; start: number }[] = [];
  for (const m of text.matchAll(/[^.!?\n]+(?:[.!?]+(?=\s|$)|\n|$)|[.!?\n]+/g)) {
    const sentence = m[0].trim();
    if (sentence.length > 0) out.push({ sentence, start: m.index + m[0].indexOf(sentence) });
  }
  return out;
}

/** Sentences that blame or judge a person, with why. Nothing is changed. */
export function findBlame(text: string): BlameFlag[] {
  const flags: BlameFlag[] = [];
  for (const { sentence, start } of sentences(text)) {
    const reasons = new Set<string>();
    for (const [why, pattern] of JUDGEMENT) if (pattern.test(sentence)) reasons.add(why);
    for (const r of PERSON_RULES) {
      for (const m of sentence.matchAll(r.pattern)) {
        const name = m.slice(1).find((g) => g !== undefined);
        if (isPerson(name?.replace(/'s$/, ''))) reasons.add(r.why);
      }
    }
    if (reasons.size > 0) flags.push({ sentence, start, end: start + sentence.length, reasons: [...reasons] });
  }
  return flags;
}
