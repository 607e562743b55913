// New incidents of the third blind set (written 2026-12-06 to measure a ranking change blind: its
// writer had read the past incidents only for their failure modes, and neither the ranking code,
// the recall figures nor any set's misses): the first findings of new incidents of the failure
// modes the past already holds, told as other responders would tell them (pager one-liners, pasted
// log lines and stack traces, long notes, other stacks' own vocabulary: MySQL, Rails, Kerberos,
// Elasticsearch, nginx, SMTP), sharing service names and error strings with the past only where a
// recurrence in the same organization would; and new incidents of failure modes no past incident
// saw, sharing only ordinary incident words with the past. No past incidents of their own: they ask
// the existing past.
import type { NewSpec } from './build.js';
import * as who from './people.js';

export const blind3Related: NewSpec[] = [
  {
    id: 'blind3-cert-expiry',
    mode: 'cert-expiry',
    title: 'ledger-svc cannot call payments-api since 09:00',
    severity: 'SEV1',
    by: who.kenjiAI,
    findings: [
      'Every ledger-svc -> payments-api call fails since 09:00:00 exactly; nothing was deployed today.',
      'Sidecar log: `tls: failed to verify certificate: x509: certificate has expired or is not yet valid: ' +
        'current time 2026-12-06T09:03:11Z is after 2026-12-06T09:00:00Z`',
    ],
  },
  {
    id: 'blind3-cert-expiry-browser',
    mode: 'cert-expiry',
    title: 'Status page and help center show a security warning',
    severity: 'SEV3',
    by: who.elena,
    findings: [
      'Support forwarded screenshots: Chrome says NET::ERR_CERT_DATE_INVALID on the help center and the status page.',
      'Both sit behind the same wildcard cert on the marketing load balancer; its valid-to date was yesterday. Nobody got a renewal mail.',
    ],
  },
  {
    id: 'blind3-pg-conn',
    mode: 'pg-too-many-clients',
    title: 'Back office app throwing 500s on every other page',
    severity: 'SEV3',
    by: who.seun,
    findings: [
      'backoffice-web (Rails) started erroring around 08:30 when the EU support shift logged in. Sentry is full of ' +
        '`ActiveRecord::ConnectionNotEstablished: connection to server at "reporting-db.internal", port 5432 failed: ' +
        'FATAL:  sorry, too many clients already`',
      'We bumped Puma to 16 threads per pod last week, and the pool size follows it; 14 pods now. ' +
        'pg_stat_activity on reporting-db has 300 rows, most of them idle.',
    ],
  },
  {
    id: 'blind3-dns',
    mode: 'dns-resolution',
    title: 'Sporadic lookup timeouts cluster-wide after node pool grew',
    severity: 'SEV3',
    by: who.tomasAI,
    findings: [
      'About 1% of calls from checkout-svc to fraud-scorer fail with ' +
        '`dial tcp: lookup fraud-scorer.risk.svc.cluster.local: i/o timeout`; other services show the same pattern.',
      'The cluster went from 90 to 340 nodes for peak season but CoreDNS still runs 2 replicas, both pinned near their CPU limit.',
    ],
  },
  {
    id: 'blind3-oom',
    mode: 'oom-kill',
    title: 'search-api crashlooping',
    severity: 'SEV2',
    by: who.liam,
    findings: [
      'search-api 0/1 CrashLoopBackOff, 47 restarts in the last hour. describe pod: Last State Terminated, Reason OOMKilled.',
      "heap grows fast when the new facet counts run on big categories; container limit is 2Gi and it's hitting it within ~3 min of start",
    ],
  },
  {
    id: 'blind3-oom-vm',
    mode: 'oom-kill',
    title: 'reconciliation job dies halfway with no error',
    severity: 'SEV3',
    by: who.fatima,
    findings: [
      'The nightly reconciliation on recon-01 stops around 40% with no stack trace and no exit message in its own log.',
      'dmesg on the box: `Out of memory: Killed process 48211 (python3) total-vm:15032412kB, anon-rss:14876020kB`. ' +
        'It loads the whole month of settlements into one dataframe; December is twice November.',
    ],
  },
  {
    id: 'blind3-disk-full',
    mode: 'disk-full',
    title: 'CI builds failing on every agent',
    severity: 'SEV3',
    by: who.marcusAI,
    findings: [
      'All pipelines red since about 06:00; failures are in the docker build step on every build agent.',
      'Build log: `failed to register layer: write /var/lib/docker/overlay2/3f1c/diff/usr/lib/libicu.so: no space left on device`. ' +
        '/var/lib/docker is at 100% on all agents; nothing prunes old images.',
    ],
  },
  {
    id: 'blind3-kafka-lag',
    mode: 'kafka-consumer-lag',
    title: 'Search results ~2h stale',
    severity: 'SEV3',
    by: who.dmitri,
    findings: [
      'price changes from this morning not in search. catalog-indexer consumer group lag 4.3M on product-updates, climbing.',
      'per-message processing went from ~3 ms to ~40 ms since the enrichment lookup was added yesterday; 6 consumers for 24 partitions.',
    ],
  },
  {
    id: 'blind3-ratelimit',
    mode: 'third-party-rate-limit',
    title: 'Order confirmation emails not going out',
    severity: 'SEV2',
    by: who.graceAI,
    findings: [
      'mail-relay queue at 180k and growing; the email provider answers ' +
        '`421 4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP` to most deliveries.',
      "The marketing newsletter went out from the same sending domain and pool at 10:00; the provider's console shows the hourly " +
        'sending quota used up by 10:20.',
    ],
  },
  {
    id: 'blind3-flag',
    mode: 'bad-feature-flag',
    title: 'Android users see an empty cart after adding items',
    severity: 'SEV2',
    by: who.sofia,
    findings: [
      'Started 10:06. Only the Android app; web and iOS fine. Add-to-cart returns 200 but the cart comes back empty.',
      'Flag audit log: `cart_sync_v3` targeting went from 5% to 100% at 10:05 with the morning release train. The Android ' +
        'build in the store predates the v3 cart format.',
    ],
  },
  {
    id: 'blind3-clock-skew',
    mode: 'clock-skew',
    title: 'Kerberos auth failing for half the Hadoop worker nodes',
    severity: 'SEV3',
    by: who.jonas,
    findings: [
      'Spark jobs fail on about half of the workers with ' +
        '`GSSException: No valid credentials provided (Mechanism level: Clock skew too great (37))`.',
      'date on the failing workers is 7-9 minutes behind the KDC. ntpd is not installed on the nodes reimaged last week.',
    ],
  },
  {
    id: 'blind3-tls-handshake',
    mode: 'tls-handshake',
    title: 'Parking payment kiosks offline after the CDN config push',
    severity: 'SEV2',
    by: who.priyaAI,
    findings: [
      'All ~600 parking kiosks stopped reporting payments at 13:40, right after the CDN security profile was updated ' +
        'to the "modern" preset.',
      'Edge logs show `SSL routines::no shared cipher` for every kiosk connection; the kiosk firmware only offers TLS 1.0 with ' +
        'AES128-SHA.',
    ],
  },
  {
    id: 'blind3-thread-pool',
    mode: 'thread-pool-exhaustion',
    title: 'quote-api timing out, CPU idle',
    severity: 'SEV2',
    by: who.raviAI,
    findings: [
      'quote-api answers nothing for 30-60 s stretches; health checks fail and pods get pulled from the load balancer. ' +
        'CPU ~5%, memory flat.',
      'gunicorn logs `[CRITICAL] WORKER TIMEOUT (pid:212)` over and over. py-spy dump: all 8 sync workers are in ' +
        'requests.get() to the address-svc lookup, which has been answering in 40+ s since noon; we pass no timeout.',
    ],
  },
  {
    id: 'blind3-cache-stampede',
    mode: 'cache-stampede',
    title: 'Homepage slow for a minute every midnight',
    severity: 'SEV4',
    by: who.hana,
    findings: [
      'Every night at 00:00 UTC homepage p95 goes from 120 ms to 6 s for about a minute, then recovers on its own.',
      'The daily deals are cached with a TTL that ends at midnight, so every key expires at once and each app node recomputes them: ' +
        'deals-db sees ~400 identical aggregate queries in the first second.',
    ],
  },
  {
    id: 'blind3-partition',
    mode: 'network-partition',
    title: 'Services in us-east-1b cannot read config: "No cluster leader"',
    severity: 'SEV2',
    by: who.meiAI,
    findings: [
      'Consul agents in us-east-1b report `No cluster leader`; services there fail their config reads, other zones are fine.',
      'A network ACL change at 16:02 dropped TCP 8300-8302 between 1b and the other zones. The 2 servers in 1b and the 3 elsewhere ' +
        'cannot see each other and the 1b pair keeps calling elections.',
    ],
  },
  {
    id: 'blind3-creds',
    mode: 'rotated-credentials',
    title: 'Nightly database backups not uploaded for two nights',
    severity: 'SEV3',
    by: who.aisha,
    findings: [
      'backup-agent on the db hosts: ' +
        '`SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided` ' +
        'on every upload since Tuesday night.',
      "The security team's automation rotates IAM user access keys every 90 days; it ran Tuesday afternoon. The agent's config file " +
        'on the hosts was never updated.',
    ],
  },
  {
    id: 'blind3-cron-double',
    mode: 'cron-double-run',
    title: 'Customers received two invoices for November',
    severity: 'SEV2',
    by: who.tomas,
    findings: [
      'About 3,100 business customers got the November invoice twice, numbers differ, sent 01:00 and 01:07.',
      'invoice-generator is a k8s CronJob with concurrencyPolicy Allow. The 01:00 run was still going when the cronjob controller ' +
        'restarted and started a second Job for the same schedule.',
    ],
  },
  {
    id: 'blind3-migration-lock',
    mode: 'migration-lock',
    title: 'Logins failing for 3 minutes during release 2026.12.1',
    severity: 'SEV2',
    by: who.dmitriAI,
    findings: [
      'Login errors 14:31-14:34, exactly while the release migrations ran. Reads of sessions ok, inserts hung.',
      'pg_locks during the window: AccessExclusiveLock on sessions held by `CREATE INDEX sessions_user_id_idx ON sessions (user_id)` ' +
        '(no CONCURRENTLY); every session insert queued behind it.',
    ],
  },
  {
    id: 'blind3-replica-lag',
    mode: 'replica-lag',
    title: 'Support agents see old ticket status after updating it',
    severity: 'SEV3',
    by: who.fatimaAI,
    findings: [
      'Agents close a ticket, the list still shows it open, sometimes for half an hour.',
      'helpdesk-api reads from the MySQL replica; SHOW SLAVE STATUS says `Seconds_Behind_Master: 1840`, growing since the ' +
        'archive job started deleting old attachments in one big transaction.',
    ],
  },
  {
    id: 'blind3-keepalive',
    mode: 'keepalive-race',
    title: 'Sporadic "socket hang up" from checkout-web to billing-api',
    severity: 'SEV4',
    by: who.jonasAI,
    findings: [
      'checkout-web gets `Error: socket hang up` (ECONNRESET) on about 0.1% of calls to billing-api; retries always succeed. ' +
        'billing-api logs no error for them.',
      "billing-api runs Node 18 with the default keepAliveTimeout of 5 s; checkout-web's HTTP agent keeps sockets for 15 s and " +
        'the failures are always on reused sockets idle for just over 5 s.',
    ],
  },
  {
    id: 'blind3-fd-exhaustion',
    mode: 'fd-exhaustion',
    title: 'Edge nginx returning 500s at evening peak',
    severity: 'SEV2',
    by: who.kenji,
    findings: [
      'From 19:40 about 4% of requests through the edge nginx tier get a 500 generated by nginx itself.',
      'error.log: `socket() failed (24: Too many open files) while connecting to upstream`. worker_rlimit_nofile is not set, so ' +
        'workers are at the 1024 default with 4096 worker_connections.',
    ],
  },
  {
    id: 'blind3-id-overflow',
    mode: 'id-overflow',
    title: 'Comments cannot be posted',
    severity: 'SEV3',
    by: who.elenaAI,
    findings: [
      'Every new comment fails since 07:12; existing comments load fine.',
      'The app logs `ERROR 1467 (HY000): Failed to read auto-increment value from storage engine` on INSERT into comments; ' +
        'the id column is a signed INT and MAX(id) is 2147483647.',
    ],
  },
  {
    id: 'blind3-gc-pause',
    mode: 'gc-pause',
    title: 'Elasticsearch data nodes dropping out of the cluster',
    severity: 'SEV2',
    by: who.sofiaAI,
    findings: [
      'Cluster went yellow three times today; each time one data node leaves and rejoins a minute later, shards relocate.',
      'On the node before it leaves: `[gc][old][112233][871] duration [28.1s], collections [1]/[28.9s]`; the master then removes ' +
        'it for failing follower checks. Heap sits at 95% with the new aggregations dashboards open.',
    ],
  },
  {
    id: 'blind3-cpu-throttling',
    mode: 'cpu-throttling',
    title: 'api-edge p99 regressed after the move to Kubernetes',
    severity: 'SEV3',
    by: who.marcus,
    findings: [
      'Since api-edge moved from VMs to the cluster its p99 went from 80 ms to 350 ms while average CPU is ~30% of the limit.',
      'cgroup cpu.stat: nr_throttled in most periods; limit is 1 CPU and the Go runtime sees 32 cores so GOMAXPROCS=32.',
    ],
  },
  {
    id: 'blind3-mtu',
    mode: 'mtu-blackhole',
    title: 'git clone and image pulls hang on the new cluster',
    severity: 'SEV3',
    by: who.grace,
    findings: [
      'On the new cluster (WireGuard encryption turned on), small curl requests work but git clone and big image pulls stall forever.',
      'tcpdump: the large segments leave the node and are never acked; ICMP is dropped at the cloud firewall, so no ' +
        'fragmentation-needed comes back. Pods have MTU 1500 on a 1420 tunnel.',
    ],
  },
  {
    id: 'blind3-schema',
    mode: 'schema-incompat',
    title: 'Clickstream consumers crashing since 11:20',
    severity: 'SEV2',
    by: who.priya,
    findings: [
      'All clickstream-sink consumers crash on start; the topic has new events since web-tracker 4.2 went out at 11:18.',
      'Stack: `UnrecognizedPropertyException: Unrecognized field "cartId" (class ClickEvent), not marked as ignorable`. The ' +
        'producer added the field without bumping anything on the consumer side.',
    ],
  },
  {
    id: 'blind3-permission',
    mode: 'missing-permission',
    title: 'Receipt uploads failing after the Terraform apply',
    severity: 'SEV3',
    by: who.liamAI,
    findings: [
      'receipt-uploader Lambda errors on 100% of invocations since the infra apply at 15:10.',
      'Error: `AccessDeniedException: ... is not authorized to perform: kms:Decrypt on resource` for the bucket key. The apply ' +
        'replaced the role policy and the new one has no KMS statement.',
    ],
  },
];

export const blind3Unrelated: NewSpec[] = [
  {
    id: 'blind3-unrelated-coupon-case',
    mode: null,
    title: 'Coupon codes rejected unless typed in capitals',
    severity: 'SEV3',
    by: who.hanaAI,
    findings: [
      'Customers typing "save10" get "code not valid"; "SAVE10" works.',
      'The rewritten promotions module compares codes byte for byte; the old one uppercased the input first.',
    ],
  },
  {
    id: 'blind3-unrelated-screenreader',
    mode: null,
    title: 'Screen readers skip the pay button on checkout',
    severity: 'SEV3',
    by: who.seunAI,
    findings: [
      'Accessibility testers report VoiceOver and NVDA never announce the pay button since Thursday.',
      'The button became an icon without a label in the redesign; it has no aria-label and no visible text.',
    ],
  },
  {
    id: 'blind3-unrelated-pdf-glyphs',
    mode: null,
    title: 'Greek characters print as boxes on PDF invoices',
    severity: 'SEV4',
    by: who.kenjiAI,
    findings: [
      'Invoices for customers with Greek addresses show empty boxes where the letters should be.',
      'The invoice template switched to a new brand font that ships only Latin glyphs, and there is no fallback font.',
    ],
  },
  {
    id: 'blind3-unrelated-applepay',
    mode: null,
    title: 'Apple Pay button missing in Safari',
    severity: 'SEV3',
    by: who.aishaAI,
    findings: [
      'Since the storefront moved to the new static host, Safari users no longer see Apple Pay at checkout.',
      'The domain association file under /.well-known/ now answers 404, so merchant validation fails and the button is hidden.',
    ],
  },
  {
    id: 'blind3-unrelated-deeplink',
    mode: null,
    title: 'Tapping a shipping notification opens the wrong screen',
    severity: 'SEV4',
    by: who.raviAI,
    findings: [
      'Tapping a "your parcel is on its way" notification opens the wishlist instead of the tracking screen.',
      'The routing table in app version 8.3 renumbered the screens and the notification payload still carries the old screen number.',
    ],
  },
  {
    id: 'blind3-unrelated-rounding',
    mode: null,
    title: 'Swedish prices shown with cents that do not exist',
    severity: 'SEV4',
    by: who.meiAI,
    findings: [
      'Product pages in Sweden show prices like 199,37 kr after the pricing display change; they used to be whole kronor.',
      'The new formatter applies two decimals to every currency and skips the rounding rule for SEK.',
    ],
  },
];
