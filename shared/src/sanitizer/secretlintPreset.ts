// secretlint's recommended rule preset as the scanner runs it: its config (AWS key-id scanning
// on, `secretlint-disable` comments ignored), the call (a piece of text at a time), and the keywords that decide whether a text is worth
// the call at all. A call costs about 0.25 ms before any rule reads the text (the preset's 28
// rules registered, their contexts and translators made anew), more than all our own detectors
// together on a 400-byte entry; live writes arrive one entry a call, so no batching amortizes it.
// As gitleaks does with its rules' `keywords`, the call is made only for text that holds a
// literal every finding of some rule of the preset holds: text without any cannot match.
import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import type { SecretLintCoreConfig } from '@secretlint/types';
import { literal } from '../literal.js';
import { SEPARATOR } from './joinedScan.js';

/** A secret found: the rule that found it (secretlint's without its id prefix) and where it is. */
export interface SecretFinding {
  rule: string;
  start: number;
  end: number;
}

// secretlint profiles every rule run with performance marks it never clears: in a server that
// scans every write, that grows without bound (secretlint/secretlint#1633). It is off here.
secretLintProfiler.setEnabled(false);

const AWS = '@secretlint/secretlint-rule-aws';
const FILTER_COMMENTS = '@secretlint/secretlint-rule-filter-comments';

/**
 * The preset's rules, each given as a rule of its own: secretlint 13.1.0 ignores `disabled` on a
 * rule inside a preset, and one must be off. `secretlint-rule-filter-comments` obeys
 * `secretlint-disable` comments in the text, and a writer must not be able to hide a secret from
 * the gate by writing one beside it.
 */
const config: SecretLintCoreConfig = {
  rules: recommended.rules
    .filter((rule) => rule.meta.id !== FILTER_COMMENTS)
    .map((rule) => ({
      id: rule.meta.id,
      rule,
      ...(rule.meta.id === AWS ? { options: { enableIDScanRule: true } } : {}),
    })),
};

/**
 * What a rule of the preset needs in a text to report anything: any one of `exact` (as written:
 * the rule's pattern is case-sensitive there) or of `anyCase` (its pattern takes several cases,
 * or has the `i` flag), and, when `and` is given, that literal too (every finding holds both).
 * `none` says why a rule reports nothing in the text this scanner gives it. Read from each rule's
 * source in @secretlint/secretlint-rule-preset-recommend 13.1.0 (module/index.js); the test
 * beside this fails when the installed preset has a rule this table does not name, and runs
 * secretlint over a corpus of every rule's formats to check that no text it finds anything in
 * is skipped.
 */
type Needs = { exact?: readonly string[]; anyCase?: readonly string[]; and?: string } | { none: string };

export const PRESET_NEEDS: Readonly<Record<string, Needs>> = {
  // `\b(A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}\b` (the key-id scan);
  // the secret key `(SECRET|secret|Secret)_?(ACCESS|access|Access)_?(KEY|key|Key)…` and the
  // account id `(ACCOUNT|account|Account)_?(ID|id|Id)?…[0-9]{4}-?…` take three cases each.
  '@secretlint/secretlint-rule-aws': {
    exact: ['A3T', 'AKIA', 'AGPA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'ASIA'],
    anyCase: ['secretaccess', 'secret_access', 'account'],
  },
  // Reads only `.p12` and `.json` files; every piece here is `/entry.md`.
  '@secretlint/secretlint-rule-gcp': { none: 'reads only .p12 and .json files' },
  // `-----BEGIN[ ]?(…)?PRIVATE KEY(?: BLOCK)?-----…-----END…`.
  '@secretlint/secretlint-rule-privatekey': { exact: ['-----BEGIN'] },
  // `npm_[A-Za-z0-9_]{36}`. Its other checks read only package.json (`:x-oauth-basic@github`)
  // and .npmrc files (`_authToken=`).
  '@secretlint/secretlint-rule-npm': { exact: ['npm_'] },
  // `(https?|ftp|ftps)://user:password@host.tld`.
  '@secretlint/secretlint-rule-basicauth': {
    exact: ['http://', 'https://', 'ftp://', 'ftps://'],
    and: '@',
  },
  // `\b(xoxb|xoxp|xapp|xoxa|xoxo|xoxr)-…` and `https://hooks\.slack\.com/services/…` (flag `i`).
  '@secretlint/secretlint-rule-slack': {
    exact: ['xoxb-', 'xoxp-', 'xapp-', 'xoxa-', 'xoxo-', 'xoxr-'],
    anyCase: ['hooks.slack.com/services/'],
  },
  // `SG\.\w{1,128}\.…`, 69 characters long.
  '@secretlint/secretlint-rule-sendgrid': { exact: ['SG.'] },
  // `(shppa|shpca|shpat|shpss)_[a-zA-Z0-9]{32,64}`.
  '@secretlint/secretlint-rule-shopify': { exact: ['shppa_', 'shpca_', 'shpat_', 'shpss_'] },
  // `(sk_live|sk_test|rk_live|rk_test)_[a-zA-Z0-9]{24,99}`.
  '@secretlint/secretlint-rule-stripe': { exact: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'] },
  // `(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9_]{36}`, `github_pat_[A-Za-z0-9_]{82}`, `ghs_[0-9]{1,20}_…`.
  '@secretlint/secretlint-rule-github': { exact: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'] },
  // `glpat-[A-Za-z0-9_-]{20,128}`.
  '@secretlint/secretlint-rule-gitlab': { exact: ['glpat-'] },
  // `glc_[A-Za-z0-9+/]{32,400}={0,2}` and `glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}`.
  '@secretlint/secretlint-rule-grafana': { exact: ['glc_', 'glsa_'] },
  // `sk-(proj|svcacct|admin)-…T3BlbkFJ…` and `sk-[a-zA-Z0-9]{20}T3BlbkFJ[a-zA-Z0-9]{20}`: both hold
  // `T3BlbkFJ` ("OpenAI" in base64).
  '@secretlint/secretlint-rule-openai': { exact: ['T3BlbkFJ'] },
  // `sk-ant-api0\d-[A-Za-z0-9_-]{90,128}AA`.
  '@secretlint/secretlint-rule-anthropic': { exact: ['sk-ant-api0'] },
  // `gsk_[a-zA-Z0-9]{52}`.
  '@secretlint/secretlint-rule-groq': { exact: ['gsk_'] },
  // `hf_[a-zA-Z]{34}`.
  '@secretlint/secretlint-rule-huggingface': { exact: ['hf_'] },
  // `lin_api_[a-zA-Z0-9_]{32,128}`.
  '@secretlint/secretlint-rule-linear': { exact: ['lin_api_'] },
  // `ntn_[0-9]{11}[A-Za-z0-9]{35}`.
  '@secretlint/secretlint-rule-notion': { exact: ['ntn_'] },
  // `ops_(ey[A-Za-z0-9+/=]{100,1280}fQ={0,2})`.
  '@secretlint/secretlint-rule-1password': { exact: ['ops_ey'] },
  // `mongodb(\+srv)?://`, `(jdbc:)?mysql(x)?://`, `postgres(ql)?://` (flag `i`), reported only
  // with a user and password: `user:password@host`.
  '@secretlint/secretlint-rule-database-connection-string': {
    anyCase: ['mongodb://', 'mongodb+srv://', 'mysql://', 'mysqlx://', 'postgres://', 'postgresql://'],
    and: '@',
  },
  // `hvs\.…{90,120}`, `hvb\.…{138,300}`, `hvr\.…{90,120}`.
  '@secretlint/secretlint-rule-hashicorp-vault': { exact: ['hvs.', 'hvb.', 'hvr.'] },
  // `(vcp|vci|vca|vcr|vck)_[A-Za-z0-9]{20,60}`.
  '@secretlint/secretlint-rule-vercel': { exact: ['vcp_', 'vci_', 'vca_', 'vcr_', 'vck_'] },
  // `dapi[A-Fa-f0-9]{32}(-[0-9])?`.
  '@secretlint/secretlint-rule-databricks': { exact: ['dapi'] },
  // `dckr_pat_[a-zA-Z0-9_-]{27}`.
  '@secretlint/secretlint-rule-docker': { exact: ['dckr_pat_'] },
  // `figd_[A-Za-z0-9_-]{40,200}`.
  '@secretlint/secretlint-rule-figma': { exact: ['figd_'] },
  // `(cfk|cfut|cfat)_[A-Za-z0-9]{40}[0-9a-f]{8}`.
  '@secretlint/secretlint-rule-cloudflare': { exact: ['cfk_', 'cfut_', 'cfat_'] },
  // `tskey-[a-z]{2,20}-…`.
  '@secretlint/secretlint-rule-tailscale': { exact: ['tskey-'] },
  // `secretlint-disable` comments: it only takes away other rules' findings, and is off here.
  '@secretlint/secretlint-rule-filter-comments': { none: 'off: a comment in the text hides nothing' },
};

const alternation = (words: readonly string[], flags: string) =>
  words.length ? new RegExp(words.map(literal).join('|'), flags) : undefined;

const needs = Object.values(PRESET_NEEDS).flatMap((n) => ('none' in n ? [] : [n]));
/** One search for the keywords of every rule that needs one alone, one for those in any case. */
const KEYWORDS = alternation(
  needs.flatMap((n) => (n.and ? [] : (n.exact ?? []))),
  '',
);
const KEYWORDS_ANY_CASE = alternation(
  needs.flatMap((n) => (n.and ? [] : (n.anyCase ?? []))),
  'i',
);
/** The rules that need a second literal too: looked for only where that literal is. */
const PAIRED = needs.flatMap((n) => {
  if (!n.and) return [];
  const words = [alternation(n.exact ?? [], ''), alternation(n.anyCase ?? [], 'i')];
  return [{ and: n.and, words: words.filter((w) => w !== undefined) }];
});

/** Whether the preset could find anything in the text: false only when no rule's keywords are in it. */
export function presetMayFind(text: string): boolean {
  if (KEYWORDS?.test(text) || KEYWORDS_ANY_CASE?.test(text)) return true;
  return PAIRED.some((p) => text.includes(p.and) && p.words.some((w) => w.test(text)));
}

/** secretlint's preset over one piece of text, whatever it holds (`presetFindings` asks the keywords first). */
export async function lintPiece(content: string): Promise<SecretFinding[]> {
  const result = await lintSource({
    source: { content, filePath: '/entry.md', ext: '.md', contentType: 'text' },
    options: { config, maskSecrets: false },
  });
  return result.messages.map((m) => ({
    rule: m.ruleId.replace(/^@secretlint\/secretlint-rule-/, ''),
    start: m.range[0],
    end: m.range[1],
  }));
}

/**
 * Text secretlint reads in one call at most, where the text's strings allow. It drops duplicate
 * findings by comparing each with every later one, so a call's cost grows with the square of
 * what it finds: a joined text of 10,000 tokens took seconds in that step alone. Pieces of whole
 * strings keep it linear. Its rules cost about 1.5 ms a call besides, so a piece is as large as a
 * part of a batch (`SCAN_CHARS`): 32 K pieces made a 500-entry batch cost half as much again.
 */
const LINT_CHARS = 128 * 1024;

/** The text in pieces of whole strings (split at separators) of about LINT_CHARS: [offset, piece]. */
function lintPieces(text: string): [number, string][] {
  const pieces: [number, string][] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.length;
    if (text.length - start > LINT_CHARS) {
      const before = text.lastIndexOf(SEPARATOR, start + LINT_CHARS);
      const cut = before > start ? before : text.indexOf(SEPARATOR, start + LINT_CHARS);
      if (cut >= 0) end = cut;
    }
    pieces.push([start, text.slice(start, end)]);
    start = end + SEPARATOR.length;
  }
  return pieces;
}

/**
 * Pieces longer than this go to secretlint without a look for keywords. The look costs about
 * 4 ns a character (550 µs on a 128 K piece, 2.5 µs an entry of a batch) and saves the call's
 * fixed cost only where no keyword is found: in a batch of real prose one nearly always is (an
 * `account`, or an `@` and a URL in two of its strings), and there the call's cost is shared.
 */
const KEYWORD_CHARS = 16 * 1024;

/** What secretlint's preset finds in the text, a piece at a time, a short piece only if it may find something. */
export async function presetFindings(text: string): Promise<SecretFinding[]> {
  const found: SecretFinding[] = [];
  for (const [offset, content] of lintPieces(text)) {
    if (content.length <= KEYWORD_CHARS && !presetMayFind(content)) continue;
    for (const f of await lintPiece(content))
      found.push({ rule: f.rule, start: offset + f.start, end: offset + f.end });
  }
  return found;
}
