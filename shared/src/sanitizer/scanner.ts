// The secret scanner. Its base is secretlint's recommended rule preset (cloud keys, tokens of
// GitHub, Slack, npm, OpenAI, Anthropic and more, private keys, connection strings and basic
// auth in URLs), with AWS key-id scanning switched on. Free text in incidents also carries what
// a file scanner misses, so a few detectors supplement it: JWTs, credential assignments
// (`password=...`), sitrep's own tokens, and high-entropy strings. Hashes, ULIDs and UUIDs are
// never secrets here.
import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import type { SecretLintCoreConfig } from '@secretlint/types';

export interface SecretFinding {
  rule: string;
  start: number;
  end: number;
}

// secretlint profiles every rule run with performance marks it never clears: in a server that
// scans every write, that grows without bound (secretlint/secretlint#1633). It is off here.
secretLintProfiler.setEnabled(false);

const config: SecretLintCoreConfig = {
  rules: [
    {
      id: '@secretlint/secretlint-rule-preset-recommend',
      rule: recommended,
      rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }],
    },
  ],
};

/** Values that stand in for a secret: masks, template variables, already-redacted markers. */
const PLACEHOLDER = /^(?:[*xX•.]+|<[^>]*>|\$\{[^}]*\}|\$[A-Z_]+|%[A-Z_]+%|null|none|redacted|\[REDACTED[^\]]*\])$/i;

/** Supplementary detectors: a name and a pattern whose group 1 (or whole match) is the secret. */
const DETECTORS: { rule: string; pattern: RegExp; keep?: (secret: string) => boolean }[] = [
  { rule: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g },
  { rule: 'sitrep-token', pattern: /\bsitrep_[a-z0-9]{12}_[A-Za-z0-9_-]{43}\b/g },
  {
    rule: 'private-key',
    pattern: /-----BEGIN[ A-Z]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[ A-Z]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  },
  {
    rule: 'url-credentials',
    pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s@/]{3,})@[^\s]/gi,
    keep: (v) => !PLACEHOLDER.test(v),
  },
  {
    rule: 'credential-assignment',
    pattern:
      /\b(?:password|passwd|pwd|secret|client[_-]?secret|api[_-]?key|apikey|access[_-]?key|auth[_-]?token|access[_-]?token|private[_-]?key)["']?\s*[:=]\s*["']?([^\s"'`,;]{8,})/gi,
    keep: (v) => !PLACEHOLDER.test(v),
  },
];

const HEX = /^[0-9a-fA-F]+$/;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const UUID = /^[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$/;
// Anchored at the start of a run of key characters, so each run is tried once (not once per
// position in it); the matches are the same.
const CANDIDATE = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{24,}={0,2}/g;

function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/**
 * A generic key: long, mixing upper case, lower case and digits, and close to random. Hex
 * (hashes, commit ids), ULIDs and UUIDs are excluded by shape, words and paths by entropy.
 */
export function looksLikeGenericKey(word: string): boolean {
  const core = word.replace(/^[-_=]+|[-_=]+$/g, '');
  if (core.length < 24 || HEX.test(core) || ULID.test(core) || UUID.test(core)) return false;
  if (!/[a-z]/.test(core) || !/[A-Z]/.test(core) || !/[0-9]/.test(core)) return false;
  const digits = core.replace(/[^0-9]/g, '').length;
  // Identifiers, paths and branch names are mostly runs of lower-case letters; keys are not.
  const wordy = (core.match(/[a-z]{4,}/g) ?? []).join('').length / core.length;
  return digits >= 2 && wordy < 0.4 && entropy(core) >= 4.2;
}

/** Every secret found in the text, sorted by position, overlaps merged. */
export async function findSecrets(text: string): Promise<SecretFinding[]> {
  if (text.length === 0) return [];
  const result = await lintSource({
    source: { content: text, filePath: '/entry.md', ext: '.md', contentType: 'text' },
    options: { config, maskSecrets: true },
  });
  const found: SecretFinding[] = result.messages.map((m) => ({
    rule: m.ruleId.replace(/^@secretlint\/secretlint-rule-/, ''),
    start: m.range[0],
    end: m.range[1],
  }));
  for (const d of DETECTORS) {
    for (const m of text.matchAll(d.pattern)) {
      const secret = m[1] ?? m[0];
      if (d.keep && !d.keep(secret)) continue;
      const start = (m.index ?? 0) + m[0].lastIndexOf(secret);
      found.push({ rule: d.rule, start, end: start + secret.length });
    }
  }
  for (const m of text.matchAll(CANDIDATE)) {
    if (looksLikeGenericKey(m[0])) found.push({ rule: 'high-entropy', start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: SecretFinding[] = [];
  for (const f of found) {
    const last = merged.at(-1);
    if (last && f.start < last.end) last.end = Math.max(last.end, f.end);
    else merged.push({ ...f });
  }
  return merged;
}
