// Provider token rules the maintained secretlint preset lacks, at about gitleaks' coverage
// (config/gitleaks.toml: cloud, VCS, chat, payment, observability, package registries, AI and
// SaaS keys). Each rule names the format's documentation; where a provider documents no layout,
// the layout is the one gitleaks' rule and test strings use. Most patterns start with a literal
// prefix, which the regex engine finds about as fast as `includes`, so they simply run; the few
// that start with a character class (a run of hex before `NRAL`, digits before `:AA`) carry
// keywords and run only when one is in the text (as written: the patterns are case-sensitive,
// so the text is never lower-cased for them). Checking a keyword per rule for all of them
// cost more than the rules themselves (measured: 28 of 66 µs per entry). Even so, 72 passes
// over a text cost about 100 µs per 400-byte entry: `rulesFor` first tries one regex that is
// the alternation of all the keywordless rules (about 3 µs), and a text it does not match,
// which no one of them can match either, runs none of them.

export interface SecretRule {
  rule: string;
  /**
   * Substrings, as written (the patterns are case-sensitive), one of which every match
   * contains, for a costly pattern; none: it always runs.
   */
  keywords: readonly string[];
  /** Global; the secret is group 1 when the pattern has one, else the whole match. */
  pattern: RegExp;
}

const rule = (id: string, keywords: readonly string[], pattern: RegExp): SecretRule => ({
  rule: id,
  keywords,
  pattern,
});

// Token ends: not followed by another token character.
const E = String.raw`(?![A-Za-z0-9_-])`;
const re = (source: string) => new RegExp(source, 'g');

export const SECRET_RULES: readonly SecretRule[] = [
  // --- Cloud ---------------------------------------------------------------------------------
  // AWS IAM unique ids: docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html
  rule('aws-access-key-id', [], re(String.raw`\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b`)),
  // Amazon Bedrock long-term API keys: docs.aws.amazon.com/bedrock/latest/userguide/api-keys.html
  rule(
    'aws-bedrock-api-key',
    [],
    re(
      String.raw`\b(?:ABSK[A-Za-z0-9+/]{109,269}={0,2}|bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=%-]*)`,
    ),
  ),
  // Google API keys: cloud.google.com/docs/authentication/api-keys (AIza + 35)
  rule('gcp-api-key', [], re(String.raw`\bAIza[\w-]{35}${E}`)),
  // Microsoft Entra client secrets (3 chars, a digit, "Q~", 31-34): learn.microsoft.com/entra/identity-platform/
  rule(
    'azure-ad-client-secret',
    ['Q~'],
    re(String.raw`(?<![\w~.-])[a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34}(?![\w~.-])`),
  ),
  // Azure Storage connection strings: learn.microsoft.com/azure/storage/common/storage-configure-connection-string
  rule('azure-storage-key', [], re(String.raw`AccountKey=([A-Za-z0-9+/]{86}==)`)),
  // Alibaba Cloud AccessKey ids: alibabacloud.com/help/en/ram/user-guide/create-an-accesskey-pair
  rule('alibaba-access-key-id', [], re(String.raw`\bLTAI[a-zA-Z0-9]{20}\b`)),
  // DigitalOcean tokens: docs.digitalocean.com/reference/api/create-personal-access-token/
  rule('digitalocean-token', [], re(String.raw`\bdo[opr]_v1_[a-f0-9]{64}\b`)),
  // Heroku API keys (new format): devcenter.heroku.com/articles/authentication
  rule('heroku-api-key', [], re(String.raw`\bHRKU-AA[0-9a-zA-Z_-]{58}${E}`)),
  // Fly.io tokens: fly.io/docs/security/tokens/
  rule(
    'flyio-token',
    [],
    re(String.raw`\b(?:fo1_[\w-]{43}|fm1[ar]_[a-zA-Z0-9+/]{100,}={0,3}|fm2_[a-zA-Z0-9+/]{100,}={0,3})`),
  ),
  // Cloudflare Origin CA keys: developers.cloudflare.com/fundamentals/api/get-started/ca-keys/
  rule('cloudflare-origin-ca-key', [], re(String.raw`\bv1\.0-[a-f0-9]{24}-[a-f0-9]{146}\b`)),
  // HashiCorp Terraform Cloud tokens: developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/api-tokens
  rule(
    'terraform-cloud-token',
    ['atlasv1'],
    re(String.raw`\b[a-zA-Z0-9]{14}\.atlasv1\.[a-zA-Z0-9_=-]{60,70}${E}`),
  ),
  // HashiCorp Vault tokens: developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes
  rule('vault-token', [], re(String.raw`\bhv[sbr]\.[\w-]{90,300}`)),
  // Pulumi access tokens: pulumi.com/docs/pulumi-cloud/access-management/access-tokens/
  rule('pulumi-token', [], re(String.raw`\bpul-[a-f0-9]{40}\b`)),
  // Doppler tokens: docs.doppler.com/reference/auth-token-formats
  rule('doppler-token', [], re(String.raw`\bdp\.(?:pt|st|sa|ct|scim|audit)\.[a-zA-Z0-9]{40,44}\b`)),
  // PlanetScale tokens and passwords: planetscale.com/docs/concepts/service-tokens
  rule('planetscale-token', [], re(String.raw`\bpscale_(?:tkn|oauth|pw)_[\w=.-]{32,64}`)),
  // Scalingo API tokens: doc.scalingo.com/platform/cli/features#api-tokens
  rule('scalingo-token', [], re(String.raw`\btk-us-[\w-]{48}`)),
  // OpenShift user tokens: docs.openshift.com/container-platform/latest/authentication/managing-oauth-access-tokens.html
  rule('openshift-token', [], re(String.raw`\bsha256~[\w-]{43}${E}`)),
  // Yandex Cloud API keys: yandex.cloud/en/docs/iam/concepts/authorization/api-key
  rule('yandex-api-key', [], re(String.raw`\bAQVN[A-Za-z0-9_-]{35,38}${E}`)),
  // ClickHouse Cloud API secrets (gitleaks: 4b1d + 38)
  rule('clickhouse-api-secret', [], re(String.raw`\b4b1d[A-Za-z0-9]{38}\b`)),
  // Databricks personal access tokens: docs.databricks.com/en/dev-tools/auth/pat.html
  rule('databricks-token', [], re(String.raw`\bdapi[a-f0-9]{32}(?:-\d)?\b`)),
  // age secret keys (Bech32): age-encryption.org/v1
  rule('age-secret-key', [], re(String.raw`AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}`)),
  // 1Password secret keys and service account tokens: developer.1password.com/docs/service-accounts/
  rule(
    '1password-secret-key',
    ['A3-'],
    re(
      String.raw`\bA3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}\b`,
    ),
  ),
  rule('1password-service-token', [], re(String.raw`\bops_eyJ[a-zA-Z0-9+/]{250,}={0,3}`)),

  // --- VCS and CI ------------------------------------------------------------------------------
  // GitHub tokens: github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/
  rule('github-token', [], re(String.raw`\bgh[pousr]_[0-9a-zA-Z]{36}\b`)),
  rule('github-fine-grained-token', [], re(String.raw`\bgithub_pat_\w{82}\b`)),
  // GitLab token prefixes: docs.gitlab.com/ee/security/token_overview.html#token-prefixes
  rule(
    'gitlab-token',
    [],
    re(
      [
        String.raw`\b(?:gl(?:pat|dt|ft|rt|soat|ffct)-[\w-]{20,300}(?:\.[0-9a-z]{9})?|`,
        String.raw`glcbt-[0-9a-zA-Z]{1,5}_[\w-]{20}|glimt-[\w-]{25}|glagent-[\w-]{50}|gloas-[\w-]{64}|`,
        String.raw`glptt-[0-9a-f]{40}|GR1348941[\w-]{20})|_gitlab_session=[0-9a-z]{32}`,
      ].join(''),
    ),
  ),
  // Atlassian API tokens and Bitbucket app passwords:
  // support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/
  rule(
    'atlassian-token',
    [],
    re(
      String.raw`\b(?:ATATT3[A-Za-z0-9_=-]{180,200}|ATCTT3[A-Za-z0-9_=-]{180,200}|ATBB[a-zA-Z0-9]{32,})${E}`,
    ),
  ),
  // Sourcegraph access tokens: sourcegraph.com/docs/cli/how-tos/creating_an_access_token
  rule('sourcegraph-token', [], re(String.raw`\bsgp_(?:(?:[a-fA-F0-9]{16}|local)_)?[a-fA-F0-9]{40}\b`)),
  // Hugging Face tokens: huggingface.co/docs/hub/security-tokens
  rule('huggingface-token', [], re(String.raw`\b(?:hf|api_org)_[a-zA-Z]{34}\b`)),
  // CircleCI personal and project tokens: circleci.com/docs/managing-api-tokens/
  rule('circleci-token', [], re(String.raw`\bCCIP(?:AT|RJ)_[A-Za-z0-9]{22}_[a-f0-9]{40}\b`)),
  // Postman API keys: learning.postman.com/docs/developer/postman-api/authentication/
  rule('postman-api-key', [], re(String.raw`\bPMAK-[a-fA-F0-9]{24}-[a-fA-F0-9]{34}\b`)),
  // Prefect API keys: docs.prefect.io/v3/manage/cloud/manage-users/api-keys
  rule('prefect-api-key', [], re(String.raw`\bpnu_[a-zA-Z0-9]{36}\b`)),
  // Infracost API keys (gitleaks: ico- + 32)
  rule('infracost-api-key', [], re(String.raw`\bico-[a-zA-Z0-9]{32}\b`)),
  // Octopus Deploy API keys: octopus.com/docs/octopus-rest-api/how-to-create-an-api-key
  rule('octopus-api-key', [], re(String.raw`\bAPI-[A-Z0-9]{26}\b`)),

  // --- Chat ------------------------------------------------------------------------------------
  // Slack tokens and webhooks: api.slack.com/authentication/token-types
  rule(
    'slack-token',
    [],
    re(
      String.raw`\b(?:xox[abeoprs]-(?:\d-)?[0-9A-Za-z-]{10,200}|xoxe\.xox[bp]-\d-[A-Za-z0-9]{160,170}|xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+)`,
    ),
  ),
  rule(
    'slack-webhook',
    [],
    re(String.raw`(?:https?://)?hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{20,80}`),
  ),
  // Discord bot tokens (base64 user id . timestamp . HMAC) and webhooks: discord.com/developers/docs/reference#authentication
  rule(
    'discord-bot-token',
    [],
    re(String.raw`\b[MNO][A-Za-z0-9_-]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}\b`),
  ),
  rule(
    'discord-webhook',
    [],
    re(String.raw`(?:https?://)?discord(?:app)?\.com/api/webhooks/\d{17,20}/[\w-]{60,68}`),
  ),
  // Telegram bot tokens: core.telegram.org/bots/api#authorizing-your-bot
  rule('telegram-bot-token', [':AA'], re(String.raw`\b\d{8,10}:AA[0-9A-Za-z_-]{33}${E}`)),
  // Microsoft Teams incoming webhooks: learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook
  rule(
    'teams-webhook',
    [],
    re(
      [
        String.raw`https://[a-z0-9-]+\.webhook\.office\.com/webhookb2/[a-z0-9-]{36}@[a-z0-9-]{36}/IncomingW`,
        String.raw`ebhook/[a-z0-9]{32}/[a-z0-9-]{36}(?:/[\w-]+)?`,
      ].join(''),
    ),
  ),
  // Twilio API key SIDs are SK + 32 hex: twilio.com/docs/iam/api-keys
  rule('twilio-api-key', [], re(String.raw`\bSK[0-9a-fA-F]{32}\b`)),
  // Sendbird API tokens are 40 hex after the app's name; caught as an assignment (see generic).
  // Zoom, Mattermost, Gitter: likewise, only by variable name.

  // --- Payment ---------------------------------------------------------------------------------
  // Stripe secret and restricted keys, webhook secrets: docs.stripe.com/keys
  rule(
    'stripe-key',
    [],
    re(String.raw`\b(?:(?:sk|rk)_(?:test|live|prod)_[a-zA-Z0-9]{10,99}|whsec_[a-zA-Z0-9]{32,})\b`),
  ),
  // Square access tokens and OAuth secrets: developer.squareup.com/docs/build-basics/access-tokens
  rule('square-token', [], re(String.raw`\b(?:EAAA[\w-]{22,60}|sq0atp-[\w-]{22,60}|sq0csp-[\w-]{43})${E}`)),
  // PayPal/Braintree access tokens: developer.paypal.com/braintree/docs/guides/authorization/
  rule(
    'braintree-token',
    [],
    re(String.raw`access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32}`),
  ),
  // Flutterwave keys: developer.flutterwave.com/docs/integration-guides/authentication
  rule('flutterwave-key', [], re(String.raw`\bFLW(?:SECK|PUBK)(?:_TEST)?-[a-hA-H0-9]{12,32}(?:-X)?\b`)),
  // Shippo and EasyPost API keys: docs.goshippo.com/docs/guides_general/authentication/, easypost.com/docs/api#authentication
  rule(
    'shipping-api-key',
    [],
    re(String.raw`\b(?:shippo_(?:live|test)_[a-fA-F0-9]{40}|EZ[AT]K[a-zA-Z0-9]{54})\b`),
  ),
  // Plaid access tokens: plaid.com/docs/api/tokens/
  rule(
    'plaid-access-token',
    [],
    re(
      String.raw`\baccess-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`,
    ),
  ),
  // Duffel API tokens: duffel.com/docs/api/overview/making-requests/authentication
  rule('duffel-token', [], re(String.raw`\bduffel_(?:test|live)_[a-zA-Z0-9_=-]{43}`)),
  // Shopify tokens: shopify.dev/docs/apps/build/authentication-authorization/access-tokens
  rule('shopify-token', [], re(String.raw`\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b`)),
  // GoCardless live access tokens: developer.gocardless.com/getting-started/api/making-your-first-request/
  rule('gocardless-token', [], re(String.raw`\blive_[a-zA-Z0-9_=-]{40}${E}`)),
  // Coinbase CDP API keys are PEM EC keys (private-key rule); Razorpay key secrets go by name.

  // --- Observability -----------------------------------------------------------------------------
  // New Relic keys: docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/
  rule(
    'newrelic-key',
    ['NRAK-', 'NRJS-', 'NRII-', 'NRAL'],
    re(String.raw`\b(?:NRAK-[A-Z0-9]{27}|NRJS-[a-f0-9]{19}|NRII-[\w-]{32}|[a-f0-9]{36}NRAL)\b`),
  ),
  // Sentry tokens: docs.sentry.io/account/auth-tokens/
  rule(
    'sentry-token',
    [],
    re(String.raw`\b(?:sntryu_[a-f0-9]{64}\b|sntrys_eyJpYXQiO[A-Za-z0-9+/=_]{60,600})`),
  ),
  // Grafana API keys, Cloud tokens and service account tokens: grafana.com/docs/grafana/latest/administration/service-accounts/
  rule(
    'grafana-token',
    [],
    re(
      String.raw`\b(?:eyJrIjoi[A-Za-z0-9]{70,400}={0,3}|glc_[A-Za-z0-9+/]{32,400}={0,3}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})`,
    ),
  ),
  // Dynatrace API tokens: docs.dynatrace.com/docs/dynatrace-api/basics/dynatrace-api-authentication
  rule('dynatrace-token', [], re(String.raw`\bdt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}\b`)),
  // Honeycomb ingest keys: docs.honeycomb.io/configure/environments/manage-api-keys/
  rule('honeycomb-ingest-key', [], re(String.raw`\bhc[abx]ik_[a-z0-9]{58}\b`)),
  // LaunchDarkly SDK, mobile and API keys: docs.launchdarkly.com/sdk/concepts/client-side-server-side
  rule(
    'launchdarkly-key',
    [],
    re(String.raw`\b(?:sdk|api|mob)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`),
  ),

  // --- Package registries -----------------------------------------------------------------------
  // npm tokens: docs.npmjs.com/about-access-tokens
  rule('npm-token', [], re(String.raw`\bnpm_[a-zA-Z0-9]{36}\b`)),
  // PyPI API tokens (macaroons): pypi.org/help/#apitoken
  rule('pypi-token', [], re(String.raw`\bpypi-AgEIcHlwaS5vcmc[\w-]{50,1000}`)),
  // RubyGems API keys: guides.rubygems.org/api-key-scopes/
  rule('rubygems-token', [], re(String.raw`\brubygems_[a-f0-9]{48}\b`)),
  // Clojars deploy tokens: github.com/clojars/clojars-web/wiki/Deploy-Tokens
  rule('clojars-token', [], re(String.raw`\bCLOJARS_[a-zA-Z0-9]{60}\b`)),
  // NuGet API keys (oy2 + 43): learn.microsoft.com/nuget/nuget-org/scoped-api-keys
  rule('nuget-api-key', [], re(String.raw`\boy2[a-z0-9]{43}\b`)),
  // crates.io tokens (cio + 32): doc.rust-lang.org/cargo/reference/registry-authentication.html
  rule('crates-io-token', [], re(String.raw`\bcio[a-zA-Z0-9]{32}\b`)),
  // JFrog Artifactory API keys and reference tokens: jfrog.com/help/r/jfrog-platform-administration-documentation/access-tokens
  rule('artifactory-token', [], re(String.raw`\b(?:AKCp[A-Za-z0-9]{69}|cmVmd[A-Za-z0-9]{59})\b`)),
  // Docker Hub personal and organisation access tokens: docs.docker.com/security/for-developers/access-tokens/
  rule('docker-hub-token', [], re(String.raw`\bdckr_(?:pat|oat)_[A-Za-z0-9_-]{27,}`)),
  // ReadMe API keys: docs.readme.com/main/reference/intro/authentication
  rule('readme-api-key', [], re(String.raw`\brdme_[a-z0-9]{70}\b`)),

  // --- AI ---------------------------------------------------------------------------------------
  // OpenAI keys: platform.openai.com/docs/api-reference/authentication (marker T3BlbkFJ)
  rule(
    'openai-api-key',
    [],
    re(
      String.raw`\bsk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,200}|[a-zA-Z0-9]{20}T3BlbkFJ[a-zA-Z0-9]{20})${E}`,
    ),
  ),
  // Anthropic API and admin keys: docs.anthropic.com/en/api/getting-started
  rule('anthropic-api-key', [], re(String.raw`\bsk-ant-(?:api03|admin01)-[a-zA-Z0-9_-]{93}AA${E}`)),
  // Perplexity, Groq, Replicate, xAI keys: their API references (pplx-, gsk_, r8_, xai- prefixes)
  rule(
    'ai-api-key',
    [],
    re(String.raw`\b(?:pplx-[a-zA-Z0-9]{48}|gsk_[a-zA-Z0-9]{52}|r8_[A-Za-z0-9]{37}|xai-[A-Za-z0-9]{80})\b`),
  ),

  // --- SaaS ---------------------------------------------------------------------------------------
  // SendGrid keys: docs.sendgrid.com/ui/account-and-settings/api-keys
  rule('sendgrid-api-key', [], re(String.raw`\bSG\.[a-zA-Z0-9_-]{22}\.[a-zA-Z0-9_-]{43}${E}`)),
  // Brevo (Sendinblue) keys: developers.brevo.com/docs/getting-started
  rule('brevo-api-key', [], re(String.raw`\bx(?:keysib|smtpsib)-[a-f0-9]{64}-[a-zA-Z0-9]{16}\b`)),
  // Mailgun keys: documentation.mailgun.com/docs/mailgun/api-reference/authentication/
  rule('mailgun-key', [], re(String.raw`\b(?:pub)?key-[a-f0-9]{32}\b`)),
  // Mailchimp API keys (32 hex + data centre): mailchimp.com/developer/marketing/guides/quick-start/
  rule('mailchimp-api-key', ['-us'], re(String.raw`\b[a-f0-9]{32}-us\d{1,2}\b`)),
  // Mapbox secret tokens: docs.mapbox.com/accounts/guides/tokens/
  rule('mapbox-secret-token', [], re(String.raw`\bsk\.eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}`)),
  // Airtable personal access tokens: airtable.com/developers/web/guides/personal-access-tokens
  rule('airtable-token', [], re(String.raw`\bpat[a-zA-Z0-9]{14}\.[a-f0-9]{64}\b`)),
  // Asana personal access tokens (version/user:secret): developers.asana.com/docs/personal-access-token
  rule('asana-token', [], re(String.raw`\b[0-9]/[0-9]{16}:[A-Za-z0-9]{32}\b`)),
  // Typeform and Frame.io tokens: typeform.com/developers/get-started/personal-access-token/, developer.frame.io
  rule('typeform-frameio-token', [], re(String.raw`\b(?:tfp_[a-zA-Z0-9_=.-]{59}|fio-u-[\w=-]{64})${E}`)),
  // HubSpot private app tokens: developers.hubspot.com/docs/api/private-apps
  rule(
    'hubspot-token',
    [],
    re(String.raw`\bpat-(?:na|eu)1-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`),
  ),
  // Facebook page tokens (EAA...) and app tokens (app id|secret): developers.facebook.com/docs/facebook-login/guides/access-tokens
  rule(
    'facebook-token',
    ['EAA', '|', '%7C'],
    re(String.raw`\b(?:EAA[MCG][a-zA-Z0-9]{100,}|\d{15,16}(?:\||%7C)[0-9a-zA-Z_-]{27,40})${E}`),
  ),
  // Twitter/X app bearer tokens (22 A's): developer.x.com/en/docs/authentication/oauth-2-0/bearer-tokens
  rule('twitter-bearer-token', ['A'.repeat(22)], re(String.raw`\bA{22}[a-zA-Z0-9%]{80,100}`)),
  // Settlemint, MaxMind, Authress, Intra42 keys (gitleaks' layouts)
  rule(
    'misc-saas-key',
    ['sm_', '_mmk', 's-s4t2'],
    re(
      String.raw`\b(?:sm_(?:aat|pat|sat)_[a-zA-Z0-9]{16}|[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk|s-s4t2(?:ud|af)-[a-f0-9]{64})\b`,
    ),
  ),
  // Notion and Linear keys: developers.notion.com/docs/authorization, linear.app/developers
  rule(
    'notion-linear-key',
    [],
    re(String.raw`\b(?:ntn_[0-9]{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43}|lin_api_[a-zA-Z0-9]{40})\b`),
  ),
  // Contentful, Intercom and friends have no prefix: caught as assignments by variable name.
];

/** Whether a pattern's source is one alternation at its top level (`a|b`, not `a(?:b|c)` or `[|]`). */
function alternates(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

/**
 * Matches where any keywordless rule matches (their patterns have no back-references to
 * renumber). The rules that start at a word boundary share one `\b` (`\b(?:x|y)` is `\bx|\by`):
 * the engine tries their alternation only where a word starts, not at every character, which
 * halves its cost. A pattern with an alternative of its own that needs no boundary stays apart.
 */
const ANY_UNKEYED = (() => {
  const unkeyed = SECRET_RULES.filter((r) => r.keywords.length === 0).map((r) => r.pattern.source);
  const atWord = (s: string) => s.startsWith('\\b') && !alternates(s);
  const words = unkeyed.filter(atWord).map((s) => `(?:${s.slice(2)})`);
  const rest = unkeyed.filter((s) => !atWord(s)).map((s) => `(?:${s})`);
  return new RegExp([`\\b(?:${words.join('|')})`, ...rest].join('|'));
})();

/** The rules that can match the text, in their order: keywordless ones if one of them matches, keyed ones if a keyword is there. */
export function rulesFor(text: string): SecretRule[] {
  const unkeyed = ANY_UNKEYED.test(text);
  return SECRET_RULES.filter((r) =>
    r.keywords.length === 0 ? unkeyed : r.keywords.some((k) => text.includes(k)),
  );
}
