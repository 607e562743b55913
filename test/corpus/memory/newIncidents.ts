// New incidents as a responder opens them: a title and the first findings, in words of their own.
// Related ones share a failure mode with past incidents (and, where real incidents would, an error
// string or a service); unrelated ones are failure modes the past never saw, sharing only generic
// words (latency, deploy, errors) with it.
import type { NewSpec } from './build.js';
import * as who from './people.js';

export const related: NewSpec[] = [
  {
    id: 'new-cert-expiry-a',
    mode: 'cert-expiry',
    title: 'Merchant webhooks failing with TLS errors',
    severity: 'SEV2',
    by: who.seunAI,
    findings: [
      'webhook-dispatcher cannot reach billing-api since 00:00 UTC: `x509: certificate has expired or is not yet valid` on ' +
        'every call to billing-api.internal:8443.',
      'cert-manager shows Certificate billing-api-tls Ready=False; its last successful renewal was 62 days ago.',
    ],
  },
  {
    id: 'new-cert-expiry-b',
    mode: 'cert-expiry',
    title: 'Status page checks red: certificate chain rejected',
    severity: 'SEV3',
    by: who.graceAI,
    findings: [
      'Synthetic checks against the public API report `certificate has expired` although the leaf is valid until next year.',
      'The chain served by the edge still includes an intermediate whose notAfter passed this morning.',
    ],
  },
  {
    id: 'new-pg-conn-a',
    mode: 'pg-too-many-clients',
    title: 'Checkout errors: payments database refusing new sessions',
    severity: 'SEV1',
    by: who.tomasAI,
    findings: [
      'payments-api 5xx at 12%; log lines `FATAL: sorry, too many clients already` from payments-db.',
      'pg_stat_activity shows 500 of 500 slots used, most idle, from checkout-worker which scaled to 50 pods an hour ago.',
    ],
  },
  {
    id: 'new-pg-conn-b',
    mode: 'pg-too-many-clients',
    title: 'Invoice generation stalling',
    severity: 'SEV3',
    by: who.hanaAI,
    findings: [
      'invoice-svc fails to open sessions: `FATAL: remaining connection slots are reserved for non-replication superuser connections`.',
      'Connection count on ledger-db climbs during each invoice run and never drops back.',
      'The database itself is idle: CPU 10%, no slow queries.',
    ],
  },
  {
    id: 'new-dns',
    mode: 'dns-resolution',
    title: 'Calls between services failing in one cluster',
    severity: 'SEV2',
    by: who.aishaAI,
    findings: [
      'Pods in us-east-2 intermittently fail with `dial tcp: lookup inventory-svc.internal on 10.96.0.10:53: no such host`.',
      'CoreDNS pods are pinned at their CPU limit; SERVFAIL rate about 4%.',
    ],
  },
  {
    id: 'new-oom-a',
    mode: 'oom-kill',
    title: 'Push notifications late; sender pods keep restarting',
    severity: 'SEV2',
    by: who.dmitriAI,
    findings: [
      'notif-sender pods restart every few minutes with exit code 137.',
      'Container memory climbs steadily to the limit after the 5.3 release; the node itself has plenty of free memory.',
    ],
  },
  {
    id: 'new-oom-b',
    mode: 'oom-kill',
    title: 'pdf-export job dies halfway through',
    severity: 'SEV4',
    by: who.kenjiAI,
    findings: [
      'pdf-export pods terminated with Reason: OOMKilled about 20 minutes into the run.',
      'JAVA_OPTS carries -Xmx1536m while the container memory limit is 1Gi.',
    ],
  },
  {
    id: 'new-disk-full',
    mode: 'disk-full',
    title: 'ledger-db stopped accepting writes',
    severity: 'SEV1',
    by: who.fatimaAI,
    findings: [
      'ledger-db log: `could not write to file "pg_wal/xlogtemp.811": No space left on device`.',
      'The data volume is 99% full and pg_wal holds most of it.',
    ],
  },
  {
    id: 'new-kafka-lag-a',
    mode: 'kafka-consumer-lag',
    title: 'Order events processed late',
    severity: 'SEV2',
    by: who.priyaAI,
    findings: [
      'Consumer group order-projector on order-events: lag 800k and rising.',
      'Its logs: `consumer poll timeout has expired. This means the time between subsequent calls to poll() was longer ' +
        'than the configured max.poll.interval.ms`; the group keeps rebalancing.',
    ],
  },
  {
    id: 'new-kafka-lag-b',
    mode: 'kafka-consumer-lag',
    title: 'Risk checks falling behind payments',
    severity: 'SEV3',
    by: who.liamAI,
    findings: [
      'fraud-scorer lag on payment-events growing since 10:40; messages per second halved.',
      'Per-message processing time went up tenfold; the brokers look healthy.',
    ],
  },
  {
    id: 'new-rate-limit',
    mode: 'third-party-rate-limit',
    title: 'Receipts by email not going out',
    severity: 'SEV3',
    by: who.meiAI,
    findings: [
      'mailer gets `429 Too Many Requests` from the email provider with Retry-After: 60 on most sends.',
      'A newsletter send started 20 minutes ago from the same provider account.',
    ],
  },
  {
    id: 'new-feature-flag',
    mode: 'bad-feature-flag',
    title: 'Wrong prices shown to every shopper',
    severity: 'SEV2',
    by: who.raviAI,
    findings: [
      'Flag audit log: pricing.dynamic_discounts changed from 5% to 100% of traffic at 10:14 in production.',
      'Turning the flag off in one region fixes prices there at once.',
    ],
  },
  {
    id: 'new-clock-skew',
    mode: 'clock-skew',
    title: '401s from auth-svc for requests from one node',
    severity: 'SEV3',
    by: who.sofiaAI,
    findings: [
      'auth-svc rejects some tokens with `token used before issued`; all minted on ip-10-8-1-5.',
      'That node clock is 30 s ahead and chronyd is not running.',
    ],
  },
  {
    id: 'new-tls-handshake',
    mode: 'tls-handshake',
    title: 'Older Android clients cannot connect after the edge policy update',
    severity: 'SEV3',
    by: who.marcusAI,
    findings: [
      'Edge logs: `tls: client offered only unsupported versions: [302]` for app versions below 6.',
      'The listener security policy was switched to TLS 1.2 minimum this morning.',
    ],
  },
  {
    id: 'new-thread-pool',
    mode: 'thread-pool-exhaustion',
    title: 'inventory API unresponsive',
    severity: 'SEV2',
    by: who.jonasAI,
    findings: [
      '`RejectedExecutionException ... ThreadPoolExecutor[Running, pool size = 200, active threads = 200, queued tasks = 1000]` ' +
        'in inventory-api logs.',
      'Thread dump: every worker thread parked in a socket read to shipping-quotes, which has no timeout configured.',
    ],
  },
  {
    id: 'new-cache-stampede',
    mode: 'cache-stampede',
    title: 'catalog-db saturated right after the Redis restart',
    severity: 'SEV2',
    by: who.elenaAI,
    findings: [
      'Cache hit ratio dropped to zero when Redis restarted; catalog-db QPS went up 30x.',
      'Thousands of identical queries for the same category keys at the same second: a thundering herd.',
    ],
  },
  {
    id: 'new-network-partition',
    mode: 'network-partition',
    title: 'Kubernetes API timeouts and etcd elections',
    severity: 'SEV1',
    by: who.hanaAI,
    findings: [
      'etcd: leader changed 25 times in ten minutes; `rafthttp: failed to read from peer: i/o timeout`.',
      'Router: `%BGP-5-ADJCHANGE: neighbor 169.254.40.1 Down BFD adjacency down`, repeating.',
    ],
  },
  {
    id: 'new-rotated-credentials-a',
    mode: 'rotated-credentials',
    title: 'report-uploader cannot write to the bucket',
    severity: 'SEV3',
    by: who.graceAI,
    findings: [
      'report-uploader: `InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.` since 06:00.',
      'The security team key rotation ran at 05:58.',
    ],
  },
  {
    id: 'new-rotated-credentials-b',
    mode: 'rotated-credentials',
    title: 'Tax quotes failing: vendor returns 401',
    severity: 'SEV2',
    by: who.tomasAI,
    findings: [
      'tax-quote-svc gets `401 Unauthorized {"error":"invalid_api_key"}` from the tax vendor.',
      'The vendor says our key was rotated on schedule yesterday; nobody updated ours.',
    ],
  },
  {
    id: 'new-cron-double-run',
    mode: 'cron-double-run',
    title: 'Sellers paid twice last night',
    severity: 'SEV1',
    by: who.aishaAI,
    findings: [
      'payout-runner CronJob created two Jobs for the 01:00 schedule after a control plane restart.',
      'Its concurrencyPolicy is Allow and payouts carry no idempotency key.',
    ],
  },
  {
    id: 'new-migration-lock',
    mode: 'migration-lock',
    title: 'API errors during the release: queries stuck',
    severity: 'SEV2',
    by: who.kenjiAI,
    findings: [
      'pg_locks: 600 sessions waiting on relation shipments behind an ALTER TABLE from the release migration.',
      'App logs: `ERROR: canceling statement due to statement timeout` on every query touching shipments.',
    ],
  },
  {
    id: 'new-replica-lag',
    mode: 'replica-lag',
    title: 'Customers see stale account balances',
    severity: 'SEV2',
    by: who.seunAI,
    findings: [
      'The balance shown after a transfer is minutes old; reads come from payments-db-replica.',
      'now() - pg_last_xact_replay_timestamp() on the replica is 12 minutes.',
    ],
  },
  {
    id: 'new-keepalive-race',
    mode: 'keepalive-race',
    title: 'Random 502s on checkout-api behind the ingress',
    severity: 'SEV3',
    by: who.dmitriAI,
    findings: [
      'nginx ingress: `upstream prematurely closed connection while reading response header from upstream` for 0.2% of ' +
        'checkout-api requests.',
      'No restarts of checkout-api; its Node server uses the default keepAliveTimeout.',
    ],
  },
];

export const unrelated: NewSpec[] = [
  {
    id: 'new-unrelated-bcrypt',
    mode: null,
    title: 'Elevated latency on login after deploy',
    severity: 'SEV3',
    by: who.priyaAI,
    findings: [
      'login-web p99 latency went from 200 ms to 1.8 s right after the deploy; error rate unchanged.',
      'The release raised the password hashing cost factor from 10 to 14; CPU per login is up 16x.',
    ],
  },
  {
    id: 'new-unrelated-heic',
    mode: null,
    title: 'Profile photo uploads rejected after deploy',
    severity: 'SEV4',
    by: who.tomasAI,
    findings: [
      'avatar-upload returns errors for photos from recent iPhones: `unsupported image format: heic`.',
      'The deploy replaced the format sniffing library; the old one converted HEIC.',
    ],
  },
  {
    id: 'new-unrelated-cms',
    mode: null,
    title: 'Help centre articles return 404 after deploy',
    severity: 'SEV3',
    by: who.meiAI,
    findings: [
      'help-centre pages 404 for every article since the CMS export deploy.',
      'The export now writes articles under /kb/ while the site still reads /articles/.',
    ],
  },
  {
    id: 'new-unrelated-template',
    mode: null,
    title: 'Receipt emails show raw template placeholders',
    severity: 'SEV3',
    by: who.jonasAI,
    findings: [
      'Customers receive receipts with `{{ first_name }}` left in the text since this morning deploy.',
      'receipt-renderer renamed the variable to given_name; the templates were not updated.',
    ],
  },
  {
    id: 'new-unrelated-gpu',
    mode: null,
    title: 'Video transcoding errors on the new node pool',
    severity: 'SEV3',
    by: who.aishaAI,
    findings: [
      'video-transcoder jobs fail on the new nodes: `CUDA driver version is insufficient for CUDA runtime version`.',
      'The new node image ships an older GPU driver than the transcoder container expects.',
    ],
  },
  {
    id: 'new-unrelated-ios-crash',
    mode: null,
    title: 'iOS app crashes at launch after release 8.14',
    severity: 'SEV2',
    by: who.dmitriAI,
    findings: [
      'Crash reports: 30% of iOS 16 users crash at launch in the analytics SDK initialiser.',
      'Release 8.14 upgraded the analytics SDK, which needs iOS 17 APIs.',
    ],
  },
  {
    id: 'new-unrelated-etl',
    mode: null,
    title: 'Warehouse tables full of NULLs after the nightly ETL',
    severity: 'SEV4',
    by: who.kenjiAI,
    findings: [
      'The nightly ETL loaded NULL in amount and currency for all rows from the partner feed.',
      'The partner reordered the columns of their CSV export; our loader maps columns by position.',
    ],
  },
  {
    id: 'new-unrelated-router',
    mode: null,
    title: 'Spike in 404 errors after the api-router change',
    severity: 'SEV3',
    by: who.elenaAI,
    findings: [
      'api-router returns 404 for /v1/reports/* since the deploy; other paths fine.',
      'The deploy changed the path prefix rule from /v1/reports to /v1/report.',
    ],
  },
  {
    id: 'new-unrelated-fonts',
    mode: null,
    title: 'pdf-renderer errors after the base image update',
    severity: 'SEV4',
    by: who.fatimaAI,
    findings: [
      'pdf-renderer logs `Fontconfig error: Cannot load default config file` and produces blank PDFs.',
      'The slimmer base image deployed yesterday no longer includes the fontconfig package.',
    ],
  },
  {
    id: 'new-unrelated-rounding',
    mode: null,
    title: 'Gift card redemption errors for yen balances',
    severity: 'SEV3',
    by: who.raviAI,
    findings: [
      'giftcard-svc rejects redemptions in JPY with `amount has too many decimal places`.',
      'The currency library update treats JPY as having two decimals.',
    ],
  },
  {
    id: 'new-unrelated-tiles',
    mode: null,
    title: 'Map tiles slow to load after the data refresh',
    severity: 'SEV4',
    by: who.graceAI,
    findings: [
      'tile-server p95 latency at 3 s since the monthly boundary data refresh.',
      'The refreshed shapefile has no spatial index, so every tile scans the whole layer.',
    ],
  },
  {
    id: 'new-unrelated-geoip',
    mode: null,
    title: 'Wrong country detected for some visitors',
    severity: 'SEV4',
    by: who.marcusAI,
    findings: [
      'geo-locator places about 5% of EU visitors in the wrong country, showing the wrong shop.',
      'Its IP geolocation database file has not updated since August: the download job has been failing silently.',
    ],
  },
];
