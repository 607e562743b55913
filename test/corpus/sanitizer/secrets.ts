// Secrets for the sanitizer's corpus: tokens of 70+ providers made at run time by each
// provider's documented layout (prefix, alphabet, length; nothing here is a live credential,
// and nothing is a literal key that push protection would stop), signed JWTs, PEM keys and
// connection strings, each in several kinds of incident text. The same list every run.
import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import { prng } from '../../support/random.js';

export interface SecretSample {
  provider: string;
  /** The text an entry would carry. */
  text: string;
  /** The secret itself: none of it may survive sanitizing. */
  secret: string;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const HEX = '0123456789abcdef';
const B64 = `${ALNUM}+/`;
const URLSAFE = `${ALNUM}_-`;
const BECH32 = 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L';

/** Text around a token that names no secret, so the token's own rule must find it. */
const CONTEXTS: ((s: string) => string)[] = [
  (s) => `the deploy log printed ${s} right before the crash`,
  (s) => `{"level":"warn","msg":"retrying upstream","value":"${s}","attempt":3}`,
  (s) => `- ${s} (seen in build 4812, rotated at 14:05 UTC)`,
  (s) => `found ${s} in a screenshot posted to #incident-2291`,
  (s) => `grep hit: config/prod.yaml:42: ${s}`,
  (s) => `  value: "${s}"\n  region: eu-west-1`,
  (s) => `the bot echoed ${s}; we rotated it within 10 minutes`,
  (s) => `${s}`,
];

export function secretCorpus(): SecretSample[] {
  const rnd = prng(0x5ec7e75);
  const pick = (alphabet: string, n: number) =>
    Array.from({ length: n }, () => alphabet[rnd.int(alphabet.length)]).join('');
  const uuid = () => [8, 4, 4, 4, 12].map((n) => pick(HEX, n)).join('-');
  const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');
  const digits = (n: number) => pick('123456789', 1) + pick(DIGITS, n - 1);

  // Each: a provider and token makers; a token maker returns the token, or [text, secret] when
  // the token is only a secret by its variable name (then the text is used as is).
  type Maker = () => string | [string, string];
  const assign = (name: string, value: string, sep = '='): [string, string] => [
    `${name}${sep}${value}`,
    value,
  ];
  const providers: [string, Maker[]][] = [
    [
      'AWS',
      [
        () => `AKIA${pick(`${UPPER}234567`, 16)}`,
        () => `ASIA${pick(`${UPPER}234567`, 16)}`,
        () => assign('aws_secret_access_key = ', pick(B64, 40), ''),
      ],
    ],
    ['Amazon Bedrock', [() => `ABSK${pick(B64, 132)}`]],
    ['Google Cloud', [() => `AIza${pick(URLSAFE, 35)}`]],
    ['Microsoft Entra', [() => `${pick(ALNUM, 3)}${pick(DIGITS, 1)}Q~${pick(`${ALNUM}_~.-`, 34)}`]],
    [
      'Azure Storage',
      [
        () => {
          const k = `${pick(B64, 86)}==`;
          return [
            `DefaultEndpointsProtocol=https;AccountName=checkoutlogs;AccountKey=${k};EndpointSuffix=core.windows.net`,
            k,
          ];
        },
      ],
    ],
    ['Alibaba Cloud', [() => `LTAI${pick(ALNUM, 20)}`]],
    [
      'DigitalOcean',
      [() => `dop_v1_${pick(HEX, 64)}`, () => `doo_v1_${pick(HEX, 64)}`, () => `dor_v1_${pick(HEX, 64)}`],
    ],
    ['Heroku', [() => `HRKU-AA${pick(URLSAFE, 58)}`, () => assign('HEROKU_API_KEY', uuid())]],
    ['Fly.io', [() => `fo1_${pick(URLSAFE, 43)}`, () => `fm2_${pick(B64, 180)}`]],
    [
      'Cloudflare',
      [
        () => `v1.0-${pick(HEX, 24)}-${pick(HEX, 146)}`,
        () => assign('CLOUDFLARE_API_TOKEN', pick(URLSAFE, 40)),
      ],
    ],
    ['Terraform Cloud', [() => `${pick(ALNUM, 14)}.atlasv1.${pick(URLSAFE, 67)}`]],
    ['HashiCorp Vault', [() => `hvs.${pick(URLSAFE, 91)}`, () => `hvb.${pick(URLSAFE, 150)}`]],
    ['Pulumi', [() => `pul-${pick(HEX, 40)}`]],
    ['Doppler', [() => `dp.pt.${pick(ALNUM, 43)}`, () => `dp.st.prd.${pick(ALNUM, 43)}`.replace('.prd', '')]],
    ['PlanetScale', [() => `pscale_tkn_${pick(URLSAFE, 43)}`, () => `pscale_pw_${pick(URLSAFE, 43)}`]],
    ['Scalingo', [() => `tk-us-${pick(URLSAFE, 48)}`]],
    ['OpenShift', [() => `sha256~${pick(URLSAFE, 43)}`]],
    ['Yandex Cloud', [() => `AQVN${pick(URLSAFE, 36)}`]],
    ['ClickHouse Cloud', [() => `4b1d${pick(ALNUM, 38)}`]],
    ['Databricks', [() => `dapi${pick(HEX, 32)}`]],
    ['age', [() => `AGE-SECRET-KEY-1${pick(BECH32, 58)}`]],
    [
      '1Password',
      [
        () =>
          `A3-${pick(UPPER + DIGITS, 6)}-${pick(UPPER + DIGITS, 11)}-${pick(UPPER + DIGITS, 5)}-` +
          `${pick(UPPER + DIGITS, 5)}-${pick(UPPER + DIGITS, 5)}`,
        () => `ops_eyJ${pick(B64, 300)}`,
      ],
    ],
    [
      'GitHub',
      [
        () => `ghp_${pick(ALNUM, 36)}`,
        () => `gho_${pick(ALNUM, 36)}`,
        () => `ghs_${pick(ALNUM, 36)}`,
        () => `ghu_${pick(ALNUM, 36)}`,
        () => `ghr_${pick(ALNUM, 36)}`,
        () => `github_pat_${pick(ALNUM, 22)}_${pick(ALNUM, 59)}`,
      ],
    ],
    [
      'GitLab',
      [
        () => `glpat-${pick(URLSAFE, 20)}`,
        () => `gldt-${pick(URLSAFE, 20)}`,
        () => `glrt-${pick(URLSAFE, 20)}`,
        () => `glptt-${pick(HEX, 40)}`,
        () => `GR1348941${pick(URLSAFE, 20)}`,
        () => `_gitlab_session=${pick(HEX, 32)}`,
      ],
    ],
    ['Atlassian', [() => `ATATT3${pick(`${ALNUM}_=-`, 186)}`]],
    ['Bitbucket', [() => `ATBB${pick(ALNUM, 32)}`]],
    ['Sourcegraph', [() => `sgp_${pick(HEX, 16)}_${pick(HEX, 40)}`]],
    ['Hugging Face', [() => `hf_${pick(UPPER + LOWER, 34)}`, () => `api_org_${pick(UPPER + LOWER, 34)}`]],
    ['CircleCI', [() => `CCIPAT_${pick(ALNUM, 22)}_${pick(HEX, 40)}`]],
    ['Postman', [() => `PMAK-${pick(HEX, 24)}-${pick(HEX, 34)}`]],
    ['Prefect', [() => `pnu_${pick(ALNUM, 36)}`]],
    ['Infracost', [() => `ico-${pick(ALNUM, 32)}`]],
    ['Octopus Deploy', [() => `API-${pick(UPPER + DIGITS, 26)}`]],
    ['Buildkite', [() => assign('BUILDKITE_AGENT_TOKEN', pick(HEX, 50))]],
    [
      'Slack',
      [
        () => `xoxb-${digits(12)}-${digits(13)}-${pick(ALNUM, 24)}`,
        () => `xoxp-${digits(12)}-${digits(12)}-${digits(13)}-${pick(HEX, 32)}`,
        () => `xapp-1-A${pick(UPPER + DIGITS, 10)}-${digits(13)}-${pick(HEX, 64)}`,
        () =>
          `https://hooks.slack.com/services/T${pick(UPPER + DIGITS, 10)}/B${pick(UPPER + DIGITS, 10)}/${pick(ALNUM, 24)}`,
      ],
    ],
    [
      'Discord',
      [
        () => `${b64url(`1${pick(DIGITS, 17)}`)}.${pick(URLSAFE, 6)}.${pick(URLSAFE, 38)}`,
        () => `https://discord.com/api/webhooks/${digits(18)}/${pick(URLSAFE, 68)}`,
      ],
    ],
    ['Telegram', [() => `${digits(10)}:AA${pick(URLSAFE, 33)}`]],
    [
      'Microsoft Teams',
      [
        () =>
          `https://contoso.webhook.office.com/webhookb2/${uuid()}@${uuid()}/IncomingWebhook/${pick(HEX, 32)}/${uuid()}`,
      ],
    ],
    ['Twilio', [() => `SK${pick(HEX, 32)}`, () => assign('TWILIO_AUTH_TOKEN', pick(HEX, 32))]],
    ['Mattermost', [() => assign('MATTERMOST_ACCESS_TOKEN', pick(LOWER + DIGITS, 26))]],
    ['Sendbird', [() => assign('SENDBIRD_API_TOKEN: ', pick(HEX, 40), '')]],
    [
      'Stripe',
      [
        () => `sk_live_${pick(ALNUM, 99)}`,
        () => `rk_live_${pick(ALNUM, 24)}`,
        () => `whsec_${pick(ALNUM, 32)}`,
        () => `sk_test_${pick(ALNUM, 24)}`,
      ],
    ],
    [
      'Square',
      [
        () => `EAAA${pick(URLSAFE, 60)}`,
        () => `sq0atp-${pick(URLSAFE, 22)}`,
        () => `sq0csp-${pick(URLSAFE, 43)}`,
      ],
    ],
    ['Braintree', [() => `access_token$production$${pick(LOWER + DIGITS, 16)}$${pick(HEX, 32)}`]],
    ['Flutterwave', [() => `FLWSECK_TEST-${pick(HEX, 32)}-X`]],
    ['Shippo', [() => `shippo_live_${pick(HEX, 40)}`]],
    ['EasyPost', [() => `EZAK${pick(ALNUM, 54)}`]],
    ['Plaid', [() => `access-production-${uuid()}`]],
    ['Duffel', [() => `duffel_live_${pick(URLSAFE, 43)}`]],
    ['Shopify', [() => `shpat_${pick(HEX, 32)}`, () => `shpss_${pick(HEX, 32)}`]],
    ['GoCardless', [() => `live_${pick(URLSAFE, 40)}`]],
    ['Razorpay', [() => assign('RAZORPAY_KEY_SECRET', pick(ALNUM, 24))]],
    ['Adyen', [() => assign('ADYEN_API_KEY', `AQE${pick(ALNUM, 80)}`)]],
    [
      'Datadog',
      [
        () => assign('DD_API_KEY', pick(HEX, 32)),
        () => assign('DD_APP_KEY', pick(HEX, 40)),
        () => assign('datadog_api_key: ', pick(HEX, 32), ''),
      ],
    ],
    ['New Relic', [() => `NRAK-${pick(UPPER + DIGITS, 27)}`, () => `${pick(HEX, 36)}NRAL`]],
    [
      'Sentry',
      [
        () => `sntryu_${pick(HEX, 64)}`,
        () =>
          `sntrys_` +
          `${b64url(JSON.stringify({ iat: 1764000000, url: 'https://sentry.io', region_url: 'https://us.sentry.io', org: 'acme' }))}` +
          `_${pick(B64, 43)}`,
      ],
    ],
    [
      'Grafana',
      [
        () => `glsa_${pick(ALNUM, 32)}_${pick(HEX, 8)}`,
        () => `glc_${pick(B64, 64)}`,
        () => `eyJrIjoi${pick(ALNUM, 72)}`,
      ],
    ],
    ['Dynatrace', [() => `dt0c01.${pick(UPPER + DIGITS, 24)}.${pick(UPPER + DIGITS, 64)}`]],
    ['Honeycomb', [() => `hcaik_${pick(LOWER + DIGITS, 58)}`]],
    ['LaunchDarkly', [() => `sdk-${uuid()}`, () => `api-${uuid()}`]],
    ['PagerDuty', [() => assign('PAGERDUTY_API_TOKEN', `u+${pick(URLSAFE, 18)}`)]],
    ['Opsgenie', [() => assign('OPSGENIE_API_KEY', uuid())]],
    [
      'Splunk',
      [
        () => {
          const t = uuid();
          return [`curl -k https://splunk:8088/services/collector -H "Authorization: Splunk ${t}"`, t];
        },
      ],
    ],
    ['Elastic', [() => assign('ELASTIC_APM_SECRET_TOKEN', pick(ALNUM, 32))]],
    ['npm', [() => `npm_${pick(ALNUM, 36)}`]],
    ['PyPI', [() => `pypi-AgEIcHlwaS5vcmc${pick(URLSAFE, 120)}`]],
    ['RubyGems', [() => `rubygems_${pick(HEX, 48)}`]],
    ['Clojars', [() => `CLOJARS_${pick(ALNUM, 60)}`]],
    ['NuGet', [() => `oy2${pick(LOWER + DIGITS, 43)}`]],
    ['crates.io', [() => `cio${pick(ALNUM, 32)}`]],
    ['JFrog Artifactory', [() => `AKCp${pick(ALNUM, 69)}`, () => `cmVmd${pick(ALNUM, 59)}`]],
    ['Docker Hub', [() => `dckr_pat_${pick(URLSAFE, 27)}`]],
    ['ReadMe', [() => `rdme_${pick(LOWER + DIGITS, 70)}`]],
    [
      'OpenAI',
      [
        () => `sk-proj-${pick(URLSAFE, 74)}T3BlbkFJ${pick(URLSAFE, 74)}`,
        () => `sk-${pick(ALNUM, 20)}T3BlbkFJ${pick(ALNUM, 20)}`,
      ],
    ],
    [
      'Anthropic',
      [() => `sk-ant-api03-${pick(URLSAFE, 93)}AA`, () => `sk-ant-admin01-${pick(URLSAFE, 93)}AA`],
    ],
    ['Perplexity', [() => `pplx-${pick(ALNUM, 48)}`]],
    ['Groq', [() => `gsk_${pick(ALNUM, 52)}`]],
    ['Replicate', [() => `r8_${pick(ALNUM, 37)}`]],
    ['xAI', [() => `xai-${pick(ALNUM, 80)}`]],
    ['Cohere', [() => assign('CO_API_KEY', pick(ALNUM, 40))]],
    ['SendGrid', [() => `SG.${pick(URLSAFE, 22)}.${pick(URLSAFE, 43)}`]],
    ['Brevo', [() => `xkeysib-${pick(HEX, 64)}-${pick(ALNUM, 16)}`]],
    ['Mailgun', [() => `key-${pick(HEX, 32)}`]],
    ['Mailchimp', [() => `${pick(HEX, 32)}-us${1 + rnd.int(20)}`]],
    ['Mapbox', [() => `sk.eyJ1IjoiY2hlY2tvdXQiLCJhIjoi${pick(ALNUM, 22)}.${pick(URLSAFE, 22)}`]],
    ['Airtable', [() => `pat${pick(ALNUM, 14)}.${pick(HEX, 64)}`]],
    ['Asana', [() => `1/${digits(16)}:${pick(ALNUM, 32)}`]],
    ['Typeform', [() => `tfp_${pick(URLSAFE, 59)}`]],
    ['HubSpot', [() => `pat-na1-${uuid()}`]],
    [
      'Facebook',
      [
        () => `EAAG${pick(ALNUM, 150)}`,
        () => `${digits(15)}|${pick(URLSAFE, 32)}`,
        // An app token in a logged URL: the bar percent-encoded.
        () => `${digits(16)}%7C${pick(URLSAFE, 32)}`,
      ],
    ],
    ['Twitter', [() => `${'A'.repeat(22)}${pick(ALNUM, 90)}`]],
    ['Notion', [() => `ntn_${pick(DIGITS, 11)}${pick(ALNUM, 35)}`, () => `secret_${pick(ALNUM, 43)}`]],
    ['Linear', [() => `lin_api_${pick(ALNUM, 40)}`]],
    ['Contentful', [() => assign('CONTENTFUL_DELIVERY_TOKEN', pick(URLSAFE, 43))]],
    ['Algolia', [() => assign('ALGOLIA_ADMIN_KEY', pick(HEX, 32))]],
    ['Zendesk', [() => assign('ZENDESK_API_TOKEN', pick(ALNUM, 40))]],
    ['Intercom', [() => assign('INTERCOM_ACCESS_TOKEN', `dG9rOj${pick(B64, 54)}`)]],
    ['sitrep', [() => `sitrep_${pick(LOWER + DIGITS, 12)}_${pick(URLSAFE, 43)}`]],
  ];

  const out: SecretSample[] = [];
  let at = 0;
  for (const [provider, makers] of providers) {
    // Three samples of each token kind (four for a provider with one kind), in rotating contexts.
    const each = makers.length === 1 ? 4 : 3;
    for (const make of makers) {
      for (let i = 0; i < each; i++) {
        const made = make();
        const context = CONTEXTS[at++ % CONTEXTS.length] as (s: string) => string;
        out.push(
          typeof made === 'string'
            ? { provider, text: context(made), secret: made }
            : { provider, text: context(made[0]), secret: made[1] },
        );
      }
    }
  }
  return [...out, ...jwts(rnd), ...pemKeys(), ...connectionStrings(pick), ...credentials(pick)];
}

function jwts(rnd: ReturnType<typeof prng>): SecretSample[] {
  const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  const out: SecretSample[] = [];
  const contexts = [
    (t: string) => `request had Authorization: Bearer ${t}`,
    (t: string) => `cookie session=${t}; Path=/; HttpOnly`,
    (t: string) => `GET /v2/orders?access=${t} 401`,
    (t: string) => `the webhook replayed with ${t}`,
  ];
  for (let i = 0; i < 12; i++) {
    const alg = ['HS256', 'RS256', 'ES256'][i % 3] as string;
    const head = b64url(JSON.stringify({ alg, typ: 'JWT', kid: `k${i}` }));
    const body = b64url(
      JSON.stringify({ sub: `svc-${i}`, iat: 1764000000 + i, scope: 'orders:write', aud: 'checkout' }),
    );
    const input = `${head}.${body}`;
    const sig =
      alg === 'HS256'
        ? createHmac('sha256', Buffer.from(rnd.bytes(32)))
            .update(input)
            .digest('base64url')
        : createSign('SHA256')
            .update(input)
            .sign(alg === 'RS256' ? rsa : { key: ec, dsaEncoding: 'ieee-p1363' }, 'base64url');
    const token = `${input}.${sig}`;
    out.push({
      provider: 'JWT',
      text: (contexts[i % contexts.length] as (t: string) => string)(token),
      secret: token,
    });
  }
  return out;
}

function pemKeys(): SecretSample[] {
  const keys: [string, string][] = [
    [
      'RSA PKCS#1',
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
        type: 'pkcs1',
        format: 'pem',
      }) as string,
    ],
    [
      'RSA PKCS#8',
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
        type: 'pkcs8',
        format: 'pem',
      }) as string,
    ],
    [
      'EC SEC1',
      generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({
        type: 'sec1',
        format: 'pem',
      }) as string,
    ],
    [
      'Ed25519 PKCS#8',
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    ],
    [
      'encrypted PKCS#8',
      generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({
        type: 'pkcs8',
        format: 'pem',
        cipher: 'aes-256-cbc',
        passphrase: 'corpus',
      }) as string,
    ],
    [
      'OpenSSH',
      `-----BEGIN OPENSSH PRIVATE ` +
        `KEY-----\n${Buffer.from(`openssh-key-v1\0${'k'.repeat(12)}`).toString('base64')}` +
        `${Buffer.alloc(180, 7).toString('base64')}\n-----END OPENSSH PRIVATE KEY-----\n`,
    ],
  ];
  const contexts = [
    (k: string) => `found in the container:\n${k}`,
    (k: string) => k,
    (k: string) => `{"key": ${JSON.stringify(k)}}`,
  ];
  return keys.flatMap(([kind, pem]) => {
    const body = pem.split('\n').find((l) => l.length > 40) ?? pem;
    return contexts.map((c) => ({
      provider: `PEM ${kind}`,
      text: c(pem),
      secret: c === contexts[2] ? JSON.stringify(body).slice(1, -1) : body,
    }));
  });
}

function connectionStrings(pick: (a: string, n: number) => string): SecretSample[] {
  const pw = () => pick(ALNUM, 16);
  const make: [string, (p: string) => string][] = [
    ['Postgres URL', (p) => `DATABASE_URL=postgres://checkout:${p}@payments-db.internal:5432/payments`],
    ['Postgres URL', (p) => `psql "postgresql://admin:${p}@10.0.4.12/orders?sslmode=require"`],
    ['MySQL URL', (p) => `mysql://app:${p}@mysql-primary:3306/shop`],
    ['MongoDB URL', (p) => `mongodb+srv://svc:${p}@cluster0.example.mongodb.net/orders`],
    ['Redis URL', (p) => `REDIS_URL=redis://:${p}@cache-1.internal:6379/0`],
    ['Redis URL', (p) => `rediss://default:${p}@redis.example.net:6380`],
    ['AMQP URL', (p) => `amqp://orders:${p}@rabbit.internal:5672/%2f`],
    [
      'SQL Server connection string',
      (p) =>
        `Server=tcp:orders.database.windows.net,1433;Database=orders;User ID=svc;Password=${p};Encrypt=True;`,
    ],
    ['JDBC URL', (p) => `jdbc:postgresql://db:5432/orders?user=svc&password=${p}`],
    ['basic auth in a URL', (p) => `curl https://admin:${p}@metrics.internal/api/v1/query`],
    ['SMTP URL', (p) => `smtp://alerts:${p}@smtp.example.com:587`],
    ['FTP URL', (p) => `ftp://deploy:${p}@files.example.com/releases`],
  ];
  return make.flatMap(([provider, f]) =>
    [0, 1].map(() => {
      const p = pw();
      return { provider, text: f(p), secret: p };
    }),
  );
}

function credentials(pick: (a: string, n: number) => string): SecretSample[] {
  const make: [string, (v: string) => string][] = [
    ['password assignment', (v) => `config diff: password: ${v}`],
    ['password assignment', (v) => `DB_PASSWORD="${v}"`],
    ['client secret in JSON', (v) => `{"client_id": "checkout", "client_secret": "${v}"}`],
    ['API key header', (v) => `curl -H "X-API-Key: ${v}" https://api.internal/v1/orders`],
    ['curl user', (v) => `curl -u deploy:${v} https://ci.internal/job/release`],
    ['bearer header', (v) => `Authorization: Bearer ${v}`],
    ['YAML secret', (v) => `stripe:\n  webhook_secret: ${v}\n  timeout: 30s`],
    ['signing key', (v) => `SESSION_SIGNING_KEY=${v}`],
    // A key under a bare `key` beside a digest under one (the digest is not a secret, the key is).
    ['key in JSON', (v) => `{"layer": {"key": "sha256:${pick('0123456789abcdef', 64)}"}, "key": "${v}"}`],
  ];
  return make.flatMap(([provider, f]) =>
    [0, 1].map(() => {
      const v = pick(ALNUM, 28);
      return { provider, text: f(v), secret: v };
    }),
  );
}
