// Blame and judgement of people: a person named as the cause ("Dave broke prod"), judgement
// words ("careless", "human error", "fat-fingered", "should have known") and insults. The
// detector flags a sentence and says why; it never rewrites it: entries are immutable, and
// whether to reword is the writer's call. Systems are never people here: "the cache should have
// expired" and "a segmentation fault" are not flagged. Tuned on half of a labelled corpus
// (test/corpus/sanitizer/blame.ts) and measured on the other half.
import { literal } from '../literal.js';

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
  (
    'The A An This That These Those It Its We Our Us You Your They Their There Then When If ' +
    'After Before During Root Cause Once Again Yet Honestly Classic Typical Pure Incident ' +
    'Postgres Redis Kafka Nginx Kubernetes Terraform Grafana Datadog Sentry Stripe Helm ' +
    'Jenkins GitHub GitLab Checkout Payments Billing Prod Staging Production Nothing ' +
    'Everything Everyone Nobody Who What Why How Which Clearly Obviously Also And But So Now ' +
    'Today Yesterday Monday Tuesday Wednesday Thursday Friday Saturday Sunday'
  ).split(' '),
);

const PERSON = [
  String.raw`(?:\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b|\b(?:he|she|[Hh]e|[Ss]he)\b|@[\w.-]+|`,
  String.raw`\b(?:[Tt]he (?:new (?:guy|hire|engineer)|intern|contractor|dev|developer|dba|DBA|`,
  String.raw`operator|person)|[Ss]ome(?:one|body)(?: on the [\w-]+ team)?|[Ww]hoever|[Oo]ps)\b)`,
].join('');
const BLAME_VERB_KEYS = [
  'forgot',
  'ignor',
  'neglect',
  'skipped',
  'nuked',
  'wiped',
  'deleted',
  'broke',
  'caused',
  'screwed',
  'messed',
  'botched',
  'took',
  'brought',
  'pushed bad',
  'pushed broken',
  'pushed a b',
  'pushed the b',
  'slept',
  'careless',
  'cowboy',
  'failed to',
  'never test',
  'never check',
  'never review',
  'never read',
  "didn't",
  'didnt',
  'did not',
  'bothered',
];
const BLAME_VERB = [
  String.raw`(?:forgot|ignored|ignoring|neglected|skipped|nuked|wiped|deleted|broke|caused|screwed|`,
  String.raw`messed|botched|took (?:\w+ )?down|brought (?:\w+ )?down|pushed (?:a |the )?(?:bad|`,
  String.raw`broken)|slept through|carelessly|cowboy|failed to (?:test|follow|check|read|notice|drain|`,
  String.raw`escalate|update)|never (?:tests?|tested|checks?|checked|reviews?|reviewed|reads?)|`,
  String.raw`did ?n[o']t (?:even )?(?:look|check|test|read|notice|bother|follow)|(?:could|`,
  String.raw`can) ?n[o']t be bothered)`,
].join('');

/**
 * A rule about a person: its first group that matched, if any, must name one. A rule with
 * `before` matches its verb first and finds the person just before it: looking for a person
 * at every capitalized word of a long text is what would cost, a verb is rare.
 */
interface Rule {
  why: string;
  /**
   * Lower-case substrings one of which every match holds: a text with none skips the rule. As
   * long as the pattern allows (`caused by `, not ` by `; `never test`, not `never`): a common
   * word makes most incident prose run the rule.
   */
  keys: readonly string[];
  pattern: RegExp;
  before?: RegExp | undefined;
}

const rule = (why: string, keys: readonly string[], pattern: RegExp, before?: RegExp): Rule => ({
  why,
  keys,
  pattern,
  before,
});

const RULES: readonly Rule[] = [
  // Judgement, whoever it is about.
  rule('"human error"', ['human error'], /\bhuman error\b/gi),
  rule(
    'judges care ("careless", "sloppy", "reckless", "negligent")',
    [
      'careless',
      'sloppy',
      'reckless',
      'negligen',
      'lazy',
      'paying attention',
      'asleep at',
      'dropped the ball',
      'winging',
    ],
    new RegExp(
      [
        String.raw`\b(?:careless(?:ly|ness)?|sloppy|reckless(?:ly|ness)?|negligen(?:t|ce)|lazy|`,
        String.raw`not paying attention|asleep at the wheel|dropped the ball|winging it)\b`,
      ].join(''),
      'gi',
    ),
  ),
  rule(
    'judges skill ("incompetent", "clueless", "amateur")',
    ['incompeten', 'clueless', 'hopeless', 'amateur', 'rookie', 'so-called', 'anyone competent', 'menace'],
    /\b(?:incompeten(?:t|ce)|clueless|hopeless|amateur(?:ish| hour)?|rookie mistake|so-called|anyone competent|menace)\b/gi,
  ),
  rule(
    'an insult',
    ['idiot', 'moron', 'stupid', 'dumb', 'useless'],
    /\b(?:idiot(?:ic|s)?|moron(?:ic|s)?|stupid(?:ity)?|dumb|useless)\b/gi,
  ),
  rule('"fat-fingered"', ['finger'], /\bfat[- ]?finger(?:ed|ing|s)?\b|\bbutter ?fingers\b/gi),
  rule(
    '"screwed up" / "messed up" / "botched"',
    ['screw', 'mess up', 'messed up', 'botch', 'cowboy'],
    /\b(?:screw(?:ed)? up|screwed|mess(?:ed)? up|botch(?:ed)?|cowboy(?:-deployed)?)\b/gi,
  ),
  rule(
    '"should have known"',
    ['have known', "'ve known", 'shoulda known', 'known better', 'knew better'],
    /\bshould(?: have|'ve|a) known\b|\bknown better\b|\bknew better\b/gi,
  ),
  rule(
    '"couldn\'t be bothered"',
    ['bother'],
    /\b(?:could|can) ?n[o']t be bothered\b|\bdid ?n[o']t (?:even )?bother\b/gi,
  ),
  rule(
    'calls for punishment',
    [
      'be fired',
      'get fired',
      'gets fired',
      'getting fired',
      'fire him',
      'fire her',
      'fire them',
      'should never have been',
    ],
    /\bshould be fired\b|\bget(?:s|ting)? fired\b|\bfire (?:him|her|them)\b|\bshould never have been (?:given|allowed)\b/gi,
  ),
  rule(
    'says what a person thinks or knows',
    ['he thinking', 'she thinking', 'they thinking', 'no idea what', 't know what', 'who the hell'],
    /\bwhat was (?:he|she|they) thinking\b|\bno idea what (?:he|she|they)\b|\bdoes ?n[o']t know what (?:he|she|they)\b|\bwho the hell\b/gi,
  ),
  // A person as the cause.
  rule(
    'names a person as the cause',
    BLAME_VERB_KEYS,
    new RegExp(`\\b${BLAME_VERB}\\b`, 'g'),
    new RegExp(`(${PERSON})\\s+(?:\\w+ly\\s+)?$`),
  ),
  rule("says it is a person's fault", ['fault'], /\b(?:(his|her|their)|([A-Z][a-z]+)'s) fault\b/g),
  rule(
    'blames a person',
    ['blame ', 'to blame'],
    /\b(?:[Bb]lame (?:lies with|(him|her|them|[A-Z][a-z]+)\b)|(?:is|are) to blame\b)/g,
  ),
  rule('names a person as the cause', ['is the reason'], /\b([A-Z][a-z]+) is the reason\b/g),
  rule('names a person as the cause', ['thanks to'], /\b[Tt]hanks to ([A-Z][a-z]+),/g),
  rule(
    'names a person as the cause',
    ['is on ', 'was on '],
    /\b(?:[Tt]his|[Ii]t|[Tt]hat) (?:is|was) on ([A-Z][a-z]+)\b/g,
  ),
  rule(
    "judges a person's decision",
    [
      'call by',
      'call from',
      'call of',
      'move by',
      'move from',
      'move of',
      'decision by',
      'decision from',
      'decision of',
      'judgment',
      'judgement',
    ],
    /\b(?:[Bb]ad|[Pp]oor|[Tt]errible|[Dd]umb|[Ss]tupid) (?:call|move|decision|judg(?:e)?ment) (?:by|from|of) ([A-Z][a-z]+)\b/g,
  ),
  rule(
    'names a person as the cause',
    ['caused by ', 'broken by ', 'deleted by ', 'wiped by ', 'nuked by '],
    /\b(?:caused|broken|deleted|wiped|nuked) by ([A-Z][a-z]+)\b/g,
  ),
  rule(
    "names a person's change as the cause",
    ["'s "],
    new RegExp(
      [
        String.raw`\b([A-Z][a-z]+)'s (?:[\w-]+ ){0,3}(?:change|deploy|merge|migration|commit|config|push|`,
        String.raw`typo|hotfix|script|PR|carelessness)\w* (?:caused|broke|wiped|took|brought|nuked)\b`,
      ].join(''),
      'g',
    ),
  ),
  rule(
    'says what a person should have done',
    ['should have', "should've"],
    /\bshould(?: have|'ve)\s+(?:checked|caught|tested|noticed|seen|read|asked|looked|escalated|double-checked|verified|been)\b/g,
    new RegExp(`(${PERSON})\\s+$`),
  ),
  rule(
    'says what a person should have done',
    [
      ' had read',
      ' had checked',
      ' had tested',
      ' had looked',
      ' had listened',
      ' had followed',
      ' had asked',
    ],
    /\b[Ii]f ([A-Z][a-z]+) had (?:read|checked|tested|looked|listened|followed|asked)\b/g,
  ),
  rule(
    'judges a person by habit ("as usual", "typical")',
    ['typical', 'classic', 'as always', 'as usual', 'once again', 'yet again'],
    new RegExp(
      [
        String.raw`\b(?:[Tt]ypical|[Cc]lassic) ([A-Z][a-z]+)\b|\b([A-Z][a-z]+), as (?:always|usual)\b|`,
        String.raw`\b(?:[Oo]nce|[Yy]et) again,? (?:human error|@\w+|([A-Z][a-z]+))`,
      ].join(''),
      'g',
    ),
  ),
];

/** Every rule's keys, longest first. */
const KEYS = [...new Set(RULES.flatMap((r) => r.keys))].sort((a, b) => b.length - a.length);
/** Any key, the longest first (case-insensitive). */
const ANY_KEY = new RegExp(KEYS.map(literal).join('|'), 'gi');
/** The keys within each key, itself included: where it is, they are. */
const WITHIN = new Map(KEYS.map((k) => [k, KEYS.filter((x) => k.includes(x))]));

/**
 * The keys in the text, in one scan: at each position where a key starts, the longest one, and
 * the keys within it (a shorter key starting there is one of them). Most texts hold none.
 */
function keysIn(text: string): Set<string> {
  const present = new Set<string>();
  ANY_KEY.lastIndex = 0;
  for (let m = ANY_KEY.exec(text); m; m = ANY_KEY.exec(text)) {
    for (const k of WITHIN.get(m[0].toLowerCase()) ?? []) present.add(k);
    // The next key may start inside this one.
    ANY_KEY.lastIndex = m.index + 1;
  }
  return present;
}

const isPerson = (word: string | undefined) => word === undefined || !NOT_PEOPLE.has(word);

/** Sentences in the text with where each starts: cut after `.`, `!` or `?` before a space, and at newlines. */
function sentences(text: string): { sentence: string; start: number }[] {
  const out: { sentence: string; start: number }[] = [];
  const push = (from: number, to: number) => {
    const raw = text.slice(from, to);
    const sentence = raw.trim();
    if (sentence.length > 0) out.push({ sentence, start: from + raw.indexOf(sentence) });
  };
  let from = 0;
  for (const m of text.matchAll(/[.!?]+(?=\s|$)|\n/g)) {
    push(from, m.index + m[0].length);
    from = m.index + m[0].length;
  }
  push(from, text.length);
  return out;
}

/** Sentences that blame or judge a person, with why. Nothing is changed. */
export function findBlame(text: string): BlameFlag[] {
  // Most strings (ids, names, timestamps, most prose) hold no key: done before anything is made.
  const keys = keysIn(text);
  if (keys.size === 0) return [];
  let cut: { sentence: string; start: number }[] | undefined;
  const reasons = new Map<number, Set<string>>();
  // Each rule runs once over the whole text, and only if one of its keys is there; a match
  // counts for the sentence it starts in. Sentences are cut only once something matched: most
  // texts blame no one.
  const sentenceAt = (at: number) => {
    const all = (cut ??= sentences(text));
    let lo = 0;
    let hi = all.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((all[mid]?.start ?? 0) <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const flag = (at: number, why: string) => {
    const i = sentenceAt(at);
    reasons.set(i, (reasons.get(i) ?? new Set<string>()).add(why));
  };
  for (const r of RULES) {
    if (!r.keys.some((k) => keys.has(k))) continue;
    for (const m of text.matchAll(r.pattern)) {
      // The person is looked for just before the verb, within its sentence.
      const here = r.before ? sentenceAt(m.index) : 0;
      const from = Math.max(cut?.[here]?.start ?? 0, m.index - 80);
      const person = r.before ? r.before.exec(text.slice(from, m.index)) : m;
      if (
        person &&
        isPerson(
          person
            .slice(1)
            .find((g) => g !== undefined)
            ?.replace(/'s$/, ''),
        )
      )
        flag(m.index, r.why);
    }
  }
  return [...reasons.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([i, why]) => {
      const x = cut?.[i];
      return x
        ? [{ sentence: x.sentence, start: x.start, end: x.start + x.sentence.length, reasons: [...why] }]
        : [];
    });
}
