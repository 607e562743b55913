// The secret scanner. Its base is secretlint's recommended rule preset (cloud keys, tokens of
// GitHub, Slack, npm, OpenAI, Anthropic and more, private keys, connection strings and basic
// auth in URLs), with AWS key-id scanning switched on, called only for text that holds one of
// its rules' keywords (secretlintPreset.ts). Provider formats the preset lacks are rules of ours
// (secretRules.ts, about gitleaks' coverage). Free text in incidents also carries what a file
// scanner misses, so a few detectors supplement them: JWTs, credential assignments by variable
// name (`password=...`, `DD_API_KEY=...`), auth headers, sitrep's own tokens, and high-entropy
// strings. Hashes, ULIDs and UUIDs are never secrets here on their own.
import { SEPARATOR } from './joinedScan.js';
import { rulesFor } from './secretRules.js';
import { type SecretFinding, presetFindings } from './secretlintPreset.js';

export type { SecretFinding };

const HEX = /^[0-9a-fA-F]+$/;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const UUID = /^[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$/;
/**
 * A digest named by its algorithm: `sha256:<hex>` (OCI and Docker digests, Nix, Bazel), `md5-<hex>`,
 * and Subresource Integrity's `sha512-<base64>` at its algorithm's length. A hash of content, not
 * a secret, under whatever name it is written (`"key": "sha256:…"` is a cache key). gitleaks'
 * generic-api-key lets it pass by its character class (no `:` in a secret, and a secret ends at
 * a quote or space); here the name's and value's shape are read apart, so it is named. A bare hex
 * value after a secret's name is still a secret (gitleaks too: `"client_secret": "6da8…"`), and
 * so is OpenShift's `sha256~<base64url>` token (secretRules.ts).
 */
const DIGEST = new RegExp(
  [
    String.raw`^(?:(?:sha(?:1|224|256|384|512)|sha3-(?:224|256|384|512)|sha512[-_/]256|md5|blake2[bs]|blake3)`,
    String.raw`[:-][0-9a-fA-F]{32,128}|sha256-[A-Za-z0-9+/]{43}=|sha384-[A-Za-z0-9+/]{64}|sha512-[A-Za-z0-9+/]{86}==)$`,
  ].join(''),
);

/** Whether a character (its code) may be in a generic key: `[A-Za-z0-9+/_-]`. */
const KEY_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-')
  KEY_CHAR[c.charCodeAt(0)] = 1;

/**
 * Where a generic key may be: each whole run of 24 key characters or more, with up to two `=`
 * after it, as `[start, end]` (the matches of `/(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{24,}={0,2}/g`,
 * which a test holds this to). A walk over the text, at a third less than that pattern cost
 * (it is tried at every position).
 */
export function keyRuns(text: string): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    if (c < 128 && KEY_CHAR[c] === 1) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0 && i - start >= 24) {
      let end = i;
      while (end < i + 2 && text.charCodeAt(end) === 61) end++;
      runs.push([start, end]);
    }
    start = -1;
  }
  return runs;
}

/** Values that stand in for a secret: masks, template variables, already-redacted markers. */
const PLACEHOLDER = new RegExp(
  [
    String.raw`^(?:[*xX•.]+|<[^>]*>|\$\{[^}]*\}|\$\(?[A-Za-z_]\w*\)?|%[A-Z_]+%|\{\{[^}]*\}\}|null|none|`,
    String.raw`nil|undefined|true|false|redacted|\[(?:REDACTED[^\]]*|[a-z]+-[0-9a-z]{6})\]?)$`,
  ].join(''),
  'i',
);

const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'pass']);
const SECRET_WORDS = new Set([
  'secret',
  'token',
  'credential',
  'credentials',
  'creds',
  'auth',
  'apikey',
  'key',
]);
/** Name parts that make a `…_key` or `…_token` an identifier, a setting or a pointer, not a secret. */
const NOT_SECRET = new Set(
  (
    'page next continuation cursor sync pagination public pub publishable max min count type ' +
    'name ttl length url uri endpoint path file header cache partition sort primary foreign ' +
    'idempotency dedup dedupe routing shard hash lookup object row composite unique index ' +
    'group message event record i18n translation feature flag kms ssh gpg pgp s3 bucket label ' +
    'annotation map dict metric span trace tokens refresh_interval expiry expires rotation id ' +
    'arn'
  ).split(' '),
);

/** The parts of a variable name, lower case: `DD_API_KEY`, `ddApiKey` and `dd-api.key` alike. */
const nameParts = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[_.-]+/)
    .filter(Boolean);

/** A value with the shape of a key: long enough, not a word, a path, a URL, an id or a number. */
function keyish(value: string, min: number): boolean {
  if (value.length < min || PLACEHOLDER.test(value)) return false;
  if (/:\/\/|^(?:\/|~|\.\.?\/|arn:)/.test(value) || /^[0-9.:-]+$/.test(value) || ULID.test(value))
    return false;
  // Names and slugs (`oauth2-client-credentials`) are words joined by separators; keys are not.
  if (/[-_.]/.test(value) && (value.match(/[a-z]{4,}/g) ?? []).join('').length / value.length >= 0.5)
    return false;
  if (!/[0-9]/.test(value) && !(/[a-z]/.test(value) && /[A-Z]/.test(value))) return false;
  return entropy(value) >= 3;
}

/** `name = value` (or `name: value`, `"name": "value"`, `name => value`) with a secret's name. */
function secretAssignment(value: string, m: RegExpMatchArray): boolean {
  const parts = nameParts(m[1] ?? '');
  const last = parts.at(-1) ?? '';
  if (PLACEHOLDER.test(value)) return false;
  if (PASSWORD_WORDS.has(last)) {
    return value.length >= 8 && (/[^a-z]/.test(value) || value.length >= 12) && !/:\/\//.test(value);
  }
  if (!SECRET_WORDS.has(last) || parts.some((p) => NOT_SECRET.has(p)) || DIGEST.test(value)) return false;
  // A bare `key:` or `token:` is as often a field of a document as a secret: only a key-like
  // value of some length counts there.
  return keyish(value, parts.length > 1 ? 12 : 24);
}

/** A secret's name ending in a secret word, as credential assignments have it (sticky: see `assignments`). */
const ASSIGNMENT = new RegExp(
  [
    String.raw`(?<![\w.-])([\w.-]*?(?:pass(?:word|wd|phrase)?|pwd|secret|token|key|credentials?|creds|`,
    String.raw`auth))["']?[ \t]*(?::=|=>|[:=])[ \t]*["'\x60]?(?<secret>[^\s"'\x60,;)\]}>]{8,300})`,
  ].join(''),
  'iy',
);
/** A secret word with an assignment after it: what every match of ASSIGNMENT holds, cheap to look for. */
const ASSIGNED =
  /(?:pass(?:word|wd|phrase)?|pwd|secret|token|key|credentials?|creds|auth)["']?[ \t]*(?::=|=>|[:=])/gi;
const NAME = /[\w.-]/;

/**
 * ASSIGNMENT's matches, as a scan of every position finds them, tried only where one can
 * start. The look-behind lets a match start only where a run of name characters starts, and
 * its secret word ends that run (an assignment follows it, which no name character starts):
 * so each hit of ASSIGNED has one place a match can start, the start of its run. Trying the
 * pattern at every start of a word, each time walking the word for a secret word, cost more
 * than any other detector.
 */
function* assignments(text: string): Generator<RegExpExecArray> {
  let end = 0;
  for (const hit of text.matchAll(ASSIGNED)) {
    let start = hit.index;
    while (start > 0 && NAME.test(text[start - 1] ?? '')) start--;
    // A run that starts inside the last match is part of its secret.
    if (start < end) continue;
    ASSIGNMENT.lastIndex = start;
    const m = ASSIGNMENT.exec(text);
    if (!m) continue;
    end = start + m[0].length;
    yield m;
  }
}

/** A supplementary detector (see `DETECTORS`). */
export interface Detector {
  rule: string;
  /** Global; group 1 (or the whole match) is the secret. */
  pattern: RegExp;
  /**
   * Lower-case substrings one of which every match holds, in the text lower-cased: a text with
   * none skips the detector (a test holds each pattern to them). None: it always runs.
   */
  needs: readonly string[];
  /** The pattern's matches found some cheaper way than a scan of every position. */
  matches?: (text: string) => Iterable<RegExpMatchArray>;
  keep?: (secret: string, m: RegExpMatchArray) => boolean;
}

/**
 * Supplementary detectors. Each is tried only on a text holding one of its `needs`: most texts
 * hold none, and a pattern tried at every position of a 400-byte entry costs 0.3 to 2 µs, a
 * need looked for about 0.15.
 */
export const DETECTORS: readonly Detector[] = [
  {
    rule: 'jwt',
    needs: ['eyj'],
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g,
  },
  { rule: 'sitrep-token', needs: ['sitrep_'], pattern: /\bsitrep_[a-z0-9]{12}_[A-Za-z0-9_-]{43}\b/g },
  {
    rule: 'private-key',
    needs: ['-----begin'],
    pattern:
      /-----BEGIN[ A-Z0-9_-]*PRIVATE KEY(?: BLOCK)?-----[^\0]*?(?:-----END[ A-Z0-9_-]*PRIVATE KEY(?: BLOCK)?-----|(?=\n\0)|$)/g,
  },
  {
    rule: 'putty-private-key',
    needs: ['putty-user-key-file-'],
    pattern: /PuTTY-User-Key-File-\d: [^\0]*?Private-MAC: [0-9a-f]+/g,
  },
  {
    rule: 'url-credentials',
    needs: ['://'],
    pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:([^\s@/]{3,})@[^\s]/gi,
    keep: (v) => !PLACEHOLDER.test(v),
  },
  {
    rule: 'credential-assignment',
    // Found from its secret words (`assignments`), which entries hold anyway (`author`).
    needs: [],
    pattern: ASSIGNMENT,
    matches: assignments,
    keep: secretAssignment,
  },
  {
    rule: 'auth-header',
    needs: ['authorization'],
    pattern: new RegExp(
      [
        String.raw`\b(?:proxy-)?authorization["']?\s*[:=]\s*["']?(?:bearer|basic|token|apikey|api-key|`,
        String.raw`sso-key|splunk|dsn|digest|ghostauth)?\s*([A-Za-z0-9._~+/=:-]{12,})`,
      ].join(''),
      'gi',
    ),
    keep: (v) => keyish(v, 12),
  },
  {
    rule: 'bearer-token',
    needs: ['bearer'],
    pattern: /\bbearer\s+([A-Za-z0-9._~+/-]{16,}=*)/gi,
    keep: (v) => keyish(v, 16),
  },
  {
    rule: 'cli-credentials',
    // `--user` and `--password` hold `-u` and `-p`.
    needs: ['-u', '-p'],
    pattern: /\s(?:-u|--user|--password|-p)[ =]["']?[^\s"':]*:?([^\s"']{6,})/g,
    keep: (v, m) =>
      !PLACEHOLDER.test(v) && (m[0].includes(':') || m[0].includes('password')) && /[^a-z]/.test(v),
  },
];

function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/**
 * A part of an identifier: letters and digits in one case (`req`, `v2`, `x2k9p`, `ORD`, `2025`, a
 * ULID), a word with its number (`OOMKilled`), or hex. A key's parts mix cases at random.
 */
const ID_PART = /^(?:[a-z0-9]*|[A-Z0-9]*|[A-Z]*[a-z]*\d*|[0-9a-fA-F]+)$/;

/**
 * A generic key: long, mixing upper case, lower case and digits, and close to random. Hex
 * (hashes, commit ids), ULIDs and UUIDs are excluded by shape, words and paths by entropy, and
 * ids made of such parts (`req-01JDC7Q6ZB…`, `/api/v2/orders/ORD-2025-435673`) by their parts.
 */
export function looksLikeGenericKey(word: string): boolean {
  const core = word.replace(/^[-_=]+|[-_=]+$/g, '');
  if (core.length < 24 || HEX.test(core) || ULID.test(core) || UUID.test(core) || DIGEST.test(word))
    return false;
  if (core.split(/[-_/]/).every((part) => ID_PART.test(part))) return false;
  if (!/[a-z]/.test(core) || !/[A-Z]/.test(core) || !/[0-9]/.test(core)) return false;
  const digits = core.replace(/[^0-9]/g, '').length;
  // Identifiers, paths and branch names are mostly runs of lower-case letters; keys are not.
  const wordy = (core.match(/[a-z]{4,}/g) ?? []).join('').length / core.length;
  return digits >= 2 && wordy < 0.4 && entropy(core) >= 4.2;
}

/** Every secret found in the text, sorted by position, overlaps merged. */
export async function findSecrets(text: string): Promise<SecretFinding[]> {
  if (text.length === 0) return [];
  const found = await presetFindings(text);
  const lower = text.toLowerCase();
  for (const d of [
    ...rulesFor(text),
    ...DETECTORS.filter((d) => d.needs.length === 0 || d.needs.some((n) => lower.includes(n))),
  ]) {
    for (const m of 'matches' in d && d.matches ? d.matches(text) : text.matchAll(d.pattern)) {
      const secret = m.groups?.secret ?? m[1] ?? m[0];
      if ('keep' in d && d.keep && !d.keep(secret, m)) continue;
      const start = (m.index ?? 0) + m[0].lastIndexOf(secret);
      found.push({ rule: d.rule, start, end: start + secret.length });
    }
  }
  for (const [start, end] of keyRuns(text)) {
    if (looksLikeGenericKey(text.slice(start, end))) found.push({ rule: 'high-entropy', start, end });
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  // No finding runs past the string it starts in: the next separator, found once per string.
  let next = -1;
  for (const f of found) {
    if (next !== Number.POSITIVE_INFINITY && next < f.start) {
      const at = text.indexOf(SEPARATOR, f.start);
      next = at < 0 ? Number.POSITIVE_INFINITY : at;
    }
    f.end = Math.min(f.end, next);
  }
  const merged: SecretFinding[] = [];
  for (const f of found) {
    const last = merged.at(-1);
    if (last && f.start < last.end) last.end = Math.max(last.end, f.end);
    else merged.push({ ...f });
  }
  return merged;
}
