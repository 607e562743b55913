// A corpus of realistic secrets, made at run time in the formats real providers issue (nothing
// here is a live credential), and of near-misses that must never be taken for secrets.
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { DEMO_ENTRIES } from '../../server/src/demo.js';
import { prng } from './random.js';

/** Reseeded at the top of each list, so each list is the same on every run. */
let rnd = prng(0);
const randomInt = (n: number) => rnd.int(n);
const randomBytes = (n: number) => Buffer.from(rnd.bytes(n));

const pick = (alphabet: string, n: number) =>
  Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

function jwt(): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify({ sub: 'svc-checkout', iat: 1764000000, scope: 'orders:write' }));
  const sig = createHmac('sha256', randomBytes(32)).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

/** Each: a name and a realistic line of incident text that holds one secret. */
export function secretSamples(): [string, string][] {
  rnd = prng(0x5eed);
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    type: 'pkcs1',
    format: 'pem',
  }) as string;
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({
    type: 'sec1',
    format: 'pem',
  }) as string;
  const pkcs8 = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  return [
    ['AWS access key id', `the deploy role used AKIA${pick(UPPER + DIGITS, 16)} from the CI runner`],
    ['AWS secret access key', `env dump: AWS_SECRET_ACCESS_KEY=${pick(ALNUM + '/+', 40)}`],
    ['GitHub token', `pushed with ghp_${pick(ALNUM, 36)} by mistake`],
    ['GitHub fine-grained token', `token github_pat_${pick(ALNUM, 22)}_${pick(ALNUM, 59)}`],
    ['Slack bot token', `alerts bot uses xoxb-${pick(DIGITS, 12)}-${pick(DIGITS, 13)}-${pick(ALNUM, 24)}`],
    ['npm token', `the .npmrc had //registry.npmjs.org/:_authToken=npm_${pick(ALNUM, 36)}`],
    ['Anthropic key', `summarizer key sk-ant-api03-${pick(ALNUM + '-_', 93)}AA leaked in logs`],
    ['RSA private key', `found in the container:\n${rsa}`],
    ['EC private key', ec],
    ['PKCS8 private key', `key file contents ${pkcs8}`],
    [
      'Postgres URL with password',
      `DATABASE_URL=postgres://checkout:${pick(ALNUM, 14)}@payments-db.internal:5432/payments`,
    ],
    ['MongoDB URL with password', `mongodb+srv://svc:${pick(ALNUM, 16)}@cluster0.example.mongodb.net/orders`],
    ['basic auth in a URL', `curl https://admin:${pick(ALNUM, 12)}@metrics.internal/api/v1/query`],
    ['JWT', `request had Authorization: Bearer ${jwt()}`],
    ['password assignment', `config diff: password: ${pick(ALNUM, 14)}`],
    ['client secret in JSON', `{"client_id": "checkout", "client_secret": "${pick(ALNUM, 32)}"}`],
    [
      'key in JSON beside a digest',
      // The key longer than the digest, so the test's needle (the longest word) is the key.
      `{"digest": "sha256:${randomBytes(32).toString('hex')}", "key": "${pick(ALNUM, 72)}"}`,
    ],
    ['hex client secret in JSON', `{"client_secret": "${randomBytes(32).toString('hex')}"}`],
    ['Stripe live key', `payments used sk_live_${pick(ALNUM, 24)} in the hotfix`],
    ['Google API key', `maps key AIza${pick(ALNUM + '-_', 35)} in the bundle`],
    ['generic random key', `the webhook signing key is ${randomBytes(32).toString('base64')}`],
    ['sitrep token', `harness token sitrep_${pick(LOWER + DIGITS, 12)}_${b64url(randomBytes(32))}`],
  ];
}

/** Text that looks busy but holds no secret. */
export function nearMisses(): [string, string][] {
  rnd = prng(0xbeef);
  const hex = (n: number) => randomBytes(n).toString('hex');
  return [
    ['commit SHA', `rolled back to ${hex(20)} (the previous release)`],
    ['SHA-256 digest', `image checkout@sha256:${hex(32)}`],
    ['MD5 checksum', `artifact md5 ${hex(16)}`],
    // Hex hashes named by their algorithm under a secret word's name: a cache key, a digest.
    ['a digest as a JSON key', `{"key": "sha256:${hex(32)}", "size": 48213}`],
    ['a digest assigned', `cache_key: sha256:${hex(32)} api_key=md5-${hex(16)} auth_token: sha1:${hex(20)}`],
    ['a Subresource Integrity hash', `"integrity": "sha512-${randomBytes(64).toString('base64')}"`],
    ['ULIDs', `see entries 01JDC7Q6ZB4ND3X2Y0T8K9H1QF and 01M86XPDR0DEM0000000000001`],
    [
      'UUIDs',
      `request ids 123e4567-e89b-12d3-a456-426614174000, ${[8, 4, 4, 4, 12].map((n) => pick('0123456789abcdef', n)).join('-')}`,
    ],
    [
      'a dashboard URL',
      'https://grafana.example.com/d/checkout/latency?orgId=1&from=now-1h&var-pod=checkout-api-7d9f8b6c5-x2kqz',
    ],
    ['a pod name', 'checkout-api-7d9f8b6c5-x2kqz OOMKilled at 14:02'],
    [
      'a log line',
      'ERROR 2026-11-24T14:00:00Z req_id=01JDC7Q6ZB4ND3X2Y0T8K9H1QF latency_ms=2400 route=/v2/checkout',
    ],
    ['an ARN', 'arn:aws:iam::123456789012:role/checkout-deployer assumed by CI'],
    ['password talk', 'password reset emails are failing; the token refresh job is stuck'],
    ['masked password', 'config diff: password: ******** (unchanged)'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell placeholder, which the scanner must let pass
    ['placeholder secret', 'set client_secret=${CLIENT_SECRET} from the vault'],
    ['a branch name', 'fix/INC-4821-checkout-n-plus-one-cart-loader'],
    ['a long identifier', 'CheckoutServiceImplV2Handler.processPaymentIntent threw'],
    ['a stack trace', 'at CartLoader.loadItems (/app/src/cart/CartLoader.ts:142:17)'],
    ['a SQL query', "select state, count(*) from pg_stat_activity where datname = 'payments' group by 1"],
    ['a Kubernetes secret name', 'kubectl get secret checkout-db-credentials -n payments'],
    ['a base64 word', 'header X-Debug: dGVzdA=='],
    ...DEMO_ENTRIES.map((e): [string, string] => [`demo entry ${e.id}`, JSON.stringify(e)]),
  ];
}
