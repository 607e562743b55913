import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import { describe, expect, it } from 'vitest';
import { BLAMING, NEUTRAL } from '../../../test/corpus/sanitizer/blame.js';
import { nearMissCorpus } from '../../../test/corpus/sanitizer/nearMisses.js';
import { privateCorpus } from '../../../test/corpus/sanitizer/privateData.js';
import { secretCorpus } from '../../../test/corpus/sanitizer/secrets.js';
import { prng } from '../../../test/support/random.js';
import { nearMisses, secretSamples } from '../../../test/support/secretCorpus.js';
import { PRESET_NEEDS, lintPiece, presetFindings, presetMayFind } from './secretlintPreset.js';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const HEX = '0123456789abcdef';
const URLSAFE = `${ALNUM}_-`;
const B64 = `${ALNUM}+/`;

/**
 * Every format each rule of the preset detects, made at run time (no literal key sits in the
 * repository), several of each: [rule, token or line].
 */
function presetFormats(): [string, string][] {
  const rnd = prng(0x9e5e7);
  const pick = (alphabet: string, n: number) =>
    Array.from({ length: n }, () => alphabet[rnd.int(alphabet.length)]).join('');
  const between = (lo: number, hi: number) => lo + rnd.int(hi - lo + 1);
  const pem = (type: 'pkcs1' | 'sec1' | 'pkcs8', kind: 'rsa' | 'ec' | 'ed25519') => {
    const { privateKey } =
      kind === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: 1024 })
        : kind === 'ec'
          ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
          : generateKeyPairSync('ed25519');
    return privateKey.export({ type, format: 'pem' }) as string;
  };
  const rsa = pem('pkcs1', 'rsa');
  const openssh = [
    '-----BEGIN OPENSSH PRIVATE KEY-----',
    ...`b3BlbnNzaC1rZXktdjEAAAAA${pick(B64, 300)}`.match(/.{1,70}/g)!,
    '-----END OPENSSH PRIVATE KEY-----',
  ].join('\n');
  // A 1Password service account token is base64 of a JSON object ending in `}` alone: `fQ==`.
  const opsJson = (() => {
    let json = JSON.stringify({
      signInAddress: 'my.1password.com',
      email: `${pick(LOWER, 10)}@1passwordserviceaccounts.com`,
      secretKey: pick(ALNUM, 40),
      srpX: pick(HEX, 64),
    });
    while (json.length % 3 !== 1) json = `${json.slice(0, -1)} }`;
    return Buffer.from(json).toString('base64');
  })();
  const out: [string, string][] = [];
  const add = (rule: string, n: number, make: () => string) => {
    for (let i = 0; i < n; i++) out.push([rule, make()]);
  };
  for (const p of ['AKIA', 'ASIA', 'AGPA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA'])
    add('aws', 2, () => `${p}${pick(`${UPPER}234567`, 16)}`);
  add('aws', 2, () => `A3T${pick(UPPER + DIGITS, 17)}`);
  for (const name of [
    'aws_secret_access_key',
    'AWS_SECRET_ACCESS_KEY',
    'SecretAccessKey',
    'secret_access_key',
    'Aws_Secret_Access_Key',
  ])
    add('aws', 1, () => `${name} = ${pick(B64, 40)}`);
  add('aws', 1, () => `"aws_secret_access_key": "${pick(B64, 40)}"`);
  add('aws', 1, () => `'SECRETACCESSKEY' => '${pick(B64, 40)}'`);
  for (const name of ['aws_account_id', 'AWS_ACCOUNT_ID', 'AccountId', 'account', 'Account_Id'])
    add('aws', 1, () => `${name}: ${pick(DIGITS, 4)}-${pick(DIGITS, 4)}-${pick(DIGITS, 4)}`);
  add('aws', 1, () => `"aws_account_id": "${pick(DIGITS, 12)}"`);
  out.push(['privatekey', rsa], ['privatekey', pem('sec1', 'ec')], ['privatekey', pem('pkcs8', 'rsa')]);
  out.push(['privatekey', openssh], ['privatekey', JSON.stringify({ private_key: rsa })]);
  out.push(['privatekey', rsa.replace('RSA PRIVATE KEY', 'PRIVATE KEY').replace(/\n(?=-----END)/, '')]);
  // A service account's key file as text: the gcp rule reads only .json and .p12 files.
  out.push([
    'gcp',
    JSON.stringify({
      type: 'service_account',
      private_key_id: pick(HEX, 40),
      private_key: rsa,
      client_email: 'svc@p.iam.gserviceaccount.com',
    }),
  ]);
  add('npm', 3, () => `npm_${pick(ALNUM, 36)}`);
  // What its checks of package.json and .npmrc files look for, which this path is not.
  add('npm', 1, () => `https://${pick(HEX, 40)}:x-oauth-basic@github.com/acme/deploy.git`);
  add('npm', 1, () => `//registry.npmjs.org/:_authToken=${pick(HEX, 8)}-${pick(HEX, 4)}-${pick(HEX, 4)}`);
  for (const proto of ['https', 'http', 'ftp', 'ftps'])
    add(
      'basicauth',
      2,
      () => `${proto}://${pick(LOWER, 6)}_svc:${pick(ALNUM, 14)}@registry.${pick(LOWER, 5)}.io/v2/`,
    );
  for (const p of ['xoxb', 'xoxp', 'xoxa', 'xoxo', 'xoxr'])
    add('slack', 1, () => `${p}-${pick(DIGITS, 11)}-${pick(DIGITS, 13)}-${pick(ALNUM, 24)}`);
  add('slack', 1, () => `xoxa-2-${pick(DIGITS, 11)}-${pick(ALNUM, 24)}`);
  add('slack', 1, () => `xapp-1-A${pick(UPPER + DIGITS, 10)}-${pick(DIGITS, 13)}-${pick(HEX, 64)}`);
  add(
    'slack',
    2,
    () =>
      `https://hooks.slack.com/services/T${pick(UPPER + DIGITS, 8)}/B${pick(UPPER + DIGITS, 10)}/${pick(ALNUM, 24)}`,
  );
  add('sendgrid', 3, () => `SG.${pick(`${ALNUM}_`, 22)}.${pick(`${ALNUM}_`, 43)}`);
  add('sendgrid', 1, () => `SG.${pick(ALNUM, 22)}.${pick(ALNUM, 20)}-${pick(ALNUM, 22)}`);
  for (const p of ['shppa', 'shpca', 'shpat', 'shpss']) add('shopify', 1, () => `${p}_${pick(HEX, 32)}`);
  for (const p of ['sk_live', 'sk_test', 'rk_live', 'rk_test'])
    add('stripe', 1, () => `${p}_${pick(ALNUM, between(24, 99))}`);
  for (const p of ['ghp', 'gho', 'ghu', 'ghs', 'ghr']) add('github', 1, () => `${p}_${pick(ALNUM, 36)}`);
  add('github', 2, () => `github_pat_${pick(ALNUM, 22)}_${pick(ALNUM, 59)}`);
  add(
    'github',
    1,
    () => `ghs_${pick(DIGITS, 8)}_${pick(URLSAFE, 36)}.${pick(URLSAFE, 120)}.${pick(URLSAFE, 43)}`,
  );
  add('gitlab', 3, () => `glpat-${pick(URLSAFE, between(20, 40))}`);
  add('grafana', 2, () => `glc_${pick(B64, between(32, 160))}=`);
  add('grafana', 2, () => `glsa_${pick(ALNUM, 32)}_${pick(HEX, 8)}`);
  for (const p of ['proj', 'svcacct', 'admin'])
    add('openai', 1, () => `sk-${p}-${pick(URLSAFE, 74)}T3BlbkFJ${pick(URLSAFE, 74)}`);
  add('openai', 1, () => `sk-proj-${pick(URLSAFE, 58)}T3BlbkFJ${pick(URLSAFE, 58)}`);
  add('openai', 2, () => `sk-${pick(ALNUM, 20)}T3BlbkFJ${pick(ALNUM, 20)}`);
  for (const v of ['03', '04']) add('anthropic', 2, () => `sk-ant-api${v}-${pick(URLSAFE, 93)}AA`);
  add('groq', 3, () => `gsk_${pick(ALNUM, 52)}`);
  add('huggingface', 3, () => `hf_${pick(UPPER + LOWER, 34)}`);
  add('linear', 3, () => `lin_api_${pick(ALNUM, 40)}`);
  add('notion', 3, () => `ntn_${pick(DIGITS, 11)}${pick(ALNUM, 35)}`);
  add('1password', 2, () => `ops_${opsJson}`);
  for (const proto of ['postgres', 'postgresql', 'mysql', 'jdbc:mysql', 'mysqlx', 'mongodb', 'mongodb+srv'])
    add(
      'database-connection-string',
      1,
      () =>
        `${proto}://app_rw:${pick(ALNUM, 16)}@db-${pick(LOWER, 4)}.prod.internal:5432/orders?sslmode=require`,
    );
  for (const p of ['hvs', 'hvr']) add('hashicorp-vault', 2, () => `${p}.${pick(URLSAFE, between(90, 120))}`);
  add('hashicorp-vault', 2, () => `hvb.${pick(URLSAFE, between(138, 300))}`);
  for (const p of ['vcp', 'vci', 'vca', 'vcr', 'vck'])
    add('vercel', 1, () => `${p}_${pick(ALNUM, between(20, 60))}`);
  add('databricks', 2, () => `dapi${pick(HEX, 32)}`);
  add('databricks', 1, () => `dapi${pick(HEX, 32)}-2`);
  add('docker', 3, () => `dckr_pat_${pick(URLSAFE, 27)}`);
  add('figma', 3, () => `figd_${pick(URLSAFE, between(40, 80))}`);
  for (const p of ['cfk', 'cfut', 'cfat'])
    add('cloudflare', 1, () => `${p}_${pick(ALNUM, 40)}${pick(HEX, 8)}`);
  for (const t of ['api', 'auth', 'client', 'scim', 'webhook'])
    add('tailscale', 1, () => `tskey-${t}-k${pick(ALNUM, 11)}CNTRL-${pick(ALNUM, 30)}`);
  // A `secretlint-disable` comment beside a secret (the filter that would obey it is off).
  add('github', 1, () => `ghp_${pick(ALNUM, 36)} // secretlint-disable-line`);
  return out;
}

/** How responders paste a secret: in prose, JSON, a URL, an env file, YAML, a shell line, a code span. */
const CONTEXTS: ((s: string) => string)[] = [
  (s) => s,
  (s) => `the deploy log printed ${s} right before the crash`,
  (s) => JSON.stringify({ level: 'warn', msg: 'retrying upstream', value: s, attempt: 3 }),
  (s) => `GET https://api.internal.example/v1/hook?token=${encodeURIComponent(s)}&retry=1 -> 401`,
  (s) => `SERVICE_CREDENTIAL=${s}`,
  (s) => `  value: "${s}"\n  region: eu-west-1`,
  (s) => `$ curl -H 'X-Token: ${s}' https://status.example/api`,
  (s) => `found \`${s}\` in #incident-2291, rotated at 14:05 UTC`,
];
const CASES: ((s: string) => string)[] = [(s) => s, (s) => s.toUpperCase(), (s) => s.toLowerCase()];

/** Every text of the scanner's tests and corpora, and every rule's formats in every context and case. */
function corpus(): string[] {
  const texts = presetFormats().flatMap(([, t]) => CONTEXTS.flatMap((c) => CASES.map((k) => k(c(t)))));
  texts.push(...secretCorpus().map((s) => s.text), ...secretSamples().map(([, t]) => t));
  texts.push(...nearMisses().map(([, t]) => t), ...nearMissCorpus(), ...privateCorpus().map((s) => s.text));
  texts.push(...BLAMING, ...NEUTRAL);
  return texts;
}

describe("secretlint's preset behind its keywords", () => {
  it('names every rule of the installed preset, read from the version its table was read from', () => {
    const ids = recommended.rules.map((r) => r.meta.id).sort();
    expect(Object.keys(PRESET_NEEDS).sort()).toEqual(ids);
    // The table holds what each rule's patterns need in 13.1.0: another version's rules may
    // match other text. Read its rules again (module/index.js) before changing this.
    const require = createRequire(import.meta.url);
    const main = require.resolve('@secretlint/secretlint-rule-preset-recommend');
    const pkg = JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8'));
    expect(pkg.version).toBe('13.1.0');
  });

  it('skips no text in which secretlint finds anything, over every rule in every context and case', async () => {
    const texts = corpus();
    const skipped: string[] = [];
    const byRule = new Map<string, number>();
    let found = 0;
    for (const text of texts) {
      const findings = await lintPiece(text);
      if (findings.length === 0) continue;
      found++;
      for (const f of findings) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
      if (!presetMayFind(text))
        skipped.push(`${findings.map((f) => f.rule).join(',')}: ${text.slice(0, 160)}`);
    }
    expect(skipped).toEqual([]);
    // The corpus reaches every rule that can report here (or the check above proves nothing for it).
    const reporting = Object.entries(PRESET_NEEDS)
      .filter(([, n]) => !('none' in n))
      .map(([id]) => id.replace('@secretlint/secretlint-rule-', ''));
    expect(reporting.filter((r) => !byRule.has(r))).toEqual([]);
    expect(found).toBeGreaterThan(1000);
  });

  it('finds a secret a `secretlint-disable` comment is written beside', async () => {
    // SendGrid's format is the preset's alone: none of our own rules would catch it.
    const key = `SG.${'aB3dE'.repeat(4)}1x.${'Zy9Xw'.repeat(8)}Q7p`;
    for (const text of [
      `<!-- secretlint-disable -->\nsendgrid ${key}`,
      `sendgrid ${key} // secretlint-disable-line`,
      `// secretlint-disable-next-line\nsendgrid ${key}`,
    ])
      expect((await presetFindings(text)).map((f) => f.rule)).toEqual(['sendgrid']);
  });

  it('leaves no performance marks behind, however many calls it makes', async () => {
    for (let i = 0; i < 50; i++) {
      const text = `scan ${i}: postgres://app:hunter2hunter2@db-${i}.internal/orders`;
      expect(presetMayFind(text)).toBe(true);
      await presetFindings(text);
    }
    expect(performance.getEntriesByType('mark')).toHaveLength(0);
  });

  it('skips busy incident prose, and still finds a token after it', async () => {
    const prose = nearMissCorpus();
    const skipped = prose.filter((t) => !presetMayFind(t)).length;
    expect(skipped / prose.length).toBeGreaterThan(0.9);
    const token = `ghp_${'aB3'.repeat(12)}`;
    expect(await presetFindings(`${prose[0]} ${token}`)).toEqual([
      { rule: 'github', start: (prose[0]?.length ?? 0) + 1, end: (prose[0]?.length ?? 0) + 1 + token.length },
    ]);
  });
});
