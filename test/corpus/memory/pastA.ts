// Past incidents, first half: certificate expiry, Postgres connection exhaustion, DNS resolution,
// OOM kills, disk full, Kafka consumer lag, third-party rate limits, bad feature flags, clock skew.
// Each mode told two or three times by different people in different words; error strings and
// service names repeat where real incidents would repeat them.
import {
  type PastSpec,
  action,
  answer,
  confirm,
  decision,
  done,
  finding,
  gap,
  rejection,
  theory,
} from './build.js';
import * as who from './people.js';

export const pastA: PastSpec[] = [
  {
    id: 'past-cert-expiry-1',
    mode: 'cert-expiry',
    title: 'Checkout API returning 503s: api-gateway cannot reach orders-api',
    severity: 'SEV1',
    created: '2026-02-03T00:04:00Z',
    commander: 'Priya Raman',
    team: [who.priya, who.tomasAI, who.mei],
    steps: [
      finding(
        'Checkout success rate fell from 99.2% to 41% at 00:00 UTC; every failure is a 503 from api-gateway on /v2/orders routes.',
      ),
      finding(
        'api-gateway error log, thousands per minute since 00:00:12 ' +
          'UTC:\n`upstream connect error: x509: certificate has expired or is not yet valid` dialing orders-api.internal:8443',
        { by: 1 },
      ),
      theory(
        'deploy',
        "Last night's api-gateway deploy (build 7731) broke the upstream TLS settings",
        'The gateway shipped a new Envoy config at 15:10 yesterday.',
        { by: 2 },
      ),
      theory(
        'expired',
        'The serving certificate on orders-api expired at midnight',
        'The errors say x509 expired and began on the hour.',
        { by: 1 },
      ),
      finding(
        '`openssl s_client -connect orders-api.internal:8443` shows notAfter=Feb  3 00:00:00 2026 GMT: the leaf is expired.',
        {
          by: 1,
          refs: ['expired'],
          evidence: [
            {
              label: 'openssl s_client output',
              query: 'openssl s_client -connect orders-api.internal:8443 -showcerts',
            },
          ],
        },
      ),
      rejection(
        'deploy',
        'Rolled api-gateway back to build 7729: the same x509 errors.',
        'The rollback changed nothing, and the errors start at the certificate notAfter to the second; the deploy was nine hours earlier.',
        { by: 2 },
      ),
      confirm(
        'expired',
        'Cause: the orders-api serving certificate expired',
        'cert-manager Certificate orders-api-tls has been Ready=False since Jan 4: renewals failed because the ClusterIssuer it ' +
          'names was renamed.',
        'notAfter matches the onset exactly and a reissued certificate fixes it in staging.',
      ),
      decision(
        'Reissue orders-api-tls by hand and restart orders-api',
        'Pointed the Certificate at the new issuer, forced renewal, rolled the pods.',
        'Fastest fix: renewal takes two minutes and the pods only read the certificate at start-up.',
      ),
      finding('Since 01:12 UTC no x509 errors; checkout success back at 99.1%.', { by: 1 }),
      action(
        'alert',
        'Alert when any cert-manager Certificate is Ready=False for more than 24 hours',
        'Page the platform team, not the service owner.',
        { tags: ['owner:platform'] },
      ),
      action(
        'inventory',
        'List every internal certificate expiring within 30 days',
        'One-off sweep of all clusters.',
        { by: 2 },
      ),
      done(
        'inventory',
        'Swept 212 certificates: two more were failing renewal for the same renamed issuer, both fixed.',
        { by: 2, after: 90 },
      ),
      gap(
        'why-silent',
        'Why did a month of failed renewals page nobody?',
        'cert-manager logged the failures at info level.',
      ),
    ],
  },
  {
    id: 'past-cert-expiry-2',
    mode: 'cert-expiry',
    title: 'Mobile app login broken for all users',
    severity: 'SEV1',
    created: '2026-05-19T07:41:00Z',
    commander: 'Dmitri Volkov',
    team: [who.dmitri, who.kenjiAI, who.hana],
    steps: [
      finding('Login error rate 100% on iOS and Android since 07:30 UTC; the web login still works.'),
      finding(
        'Android crash reports: `javax.net.ssl.SSLHandshakeException: Chain validation failed`. iOS: ' +
          '`NSURLErrorServerCertificateUntrusted`.',
        { by: 1 },
      ),
      theory('idp', 'Our identity provider is down', 'Login calls go through identity-svc to the IdP.', {
        by: 2,
      }),
      theory(
        'skew',
        'Device clocks are wrong after the DST change',
        'Chain validation fails when a device clock is off.',
        { by: 1 },
      ),
      rejection(
        'idp',
        'IdP status is green and identity-svc answers from a bastion.',
        'Direct calls to identity-svc succeed; only requests through the mobile edge fail.',
        { by: 2 },
      ),
      rejection(
        'skew',
        'Our own synthetic checks with NTP-synced clocks fail the same way.',
        'Every device fails, including test devices with correct time: not the clocks.',
        { by: 1 },
      ),
      theory(
        'intermediate',
        'An intermediate certificate in the mobile edge chain expired',
        'The edge serves a hand-built bundle.',
        { by: 1 },
      ),
      finding(
        'The edge bundle on mobile-edge still carries the old intermediate, notAfter May 19 07:29:58 2026 GMT. Envoy on ' +
          'mobile-edge logs `x509: certificate has expired or is not yet valid` toward identity-svc too.',
        { by: 1, refs: ['intermediate'] },
      ),
      confirm(
        'intermediate',
        'Cause: expired intermediate in the mobile-edge certificate bundle',
        'The leaf was renewed in March but the bundle kept the old intermediate.',
        'Replacing the bundle in staging restores mobile login.',
      ),
      decision(
        'Ship the new chain bundle to mobile-edge now, skip the canary',
        'Full rollout across all edge nodes.',
        'Every user is locked out; the canary would only delay a fix already proven in staging.',
      ),
      finding('Mobile logins recovering from 08:26 UTC; error rate under 0.5% by 08:40.', { by: 2 }),
      action(
        'automate',
        'Move mobile-edge certificates to automated renewal with full chains',
        'No more hand-built bundles.',
        { tags: ['owner:edge-team'] },
      ),
      gap(
        'monitor',
        'Do our synthetic checks validate the full chain or only the leaf?',
        'They passed until the minute the intermediate expired.',
      ),
      answer(
        'monitor',
        'Only the leaf: the checker used a pinned leaf fingerprint. Changed to full chain validation with a 21-day warning.',
        { by: 2, after: 200 },
      ),
    ],
  },
  {
    id: 'past-cert-expiry-3',
    mode: 'cert-expiry',
    title: 'Push notifications stalled: notif-sender cannot talk to push-relay',
    severity: 'SEV2',
    created: '2026-09-08T13:15:00Z',
    commander: 'Aisha Bello',
    team: [who.aisha, who.liamAI, who.fatima],
    steps: [
      finding('Push queue depth 2.1M and growing; zero successful deliveries since 13:02 UTC.'),
      finding(
        'notif-sender logs `x509: certificate has expired or is not yet valid` on every mTLS dial to push-relay; push-relay ' +
          'logs `remote error: tls: bad certificate`.',
        { by: 1 },
      ),
      theory(
        'relay-load',
        'push-relay is overloaded and dropping handshakes',
        'Queue depth spiked at the same time.',
        { by: 2 },
      ),
      rejection(
        'relay-load',
        'push-relay CPU at 20% and no request queueing.',
        'The handshake fails before any request is made; load would not produce a certificate error.',
        { by: 1 },
      ),
      theory(
        'client-cert',
        'The mTLS client certificate of notif-sender expired',
        'Vault PKI issues 90-day client certificates, renewed by a sidecar.',
        { by: 1 },
      ),
      finding(
        'The Vault agent sidecar in notif-sender crashed on Aug 30 and never restarted its renew loop; the client cert notAfter ' +
          'was 13:01:44 today.',
        {
          by: 1,
          refs: ['client-cert'],
        },
      ),
      confirm(
        'client-cert',
        'Cause: notif-sender mTLS client certificate expired',
        'The renewal sidecar had been dead for nine days.',
        'Timestamp matches the first failure; a fresh certificate fixes it.',
      ),
      decision(
        'Restart notif-sender with a freshly issued client certificate',
        'Rolling restart, the sidecar comes back with it.',
        'Restores delivery; the queue drains in about 25 minutes.',
      ),
      action(
        'metric',
        'Export certificate expiry as a metric for every mTLS client',
        'cert_not_after_seconds per pod, alert at 14 days.',
        { by: 2 },
      ),
      action(
        'sidecar',
        'Make the Vault agent sidecar crash fail the pod readiness',
        'A dead renewer must not go unnoticed.',
        { by: 1 },
      ),
      done('sidecar', 'Readiness now checks the agent; tested by killing it in staging.', {
        by: 1,
        after: 300,
      }),
    ],
  },
  {
    id: 'past-pg-conn-1',
    mode: 'pg-too-many-clients',
    title: 'Payments API 500s: payments-db refusing connections',
    severity: 'SEV1',
    created: '2026-01-22T16:20:00Z',
    commander: 'Jonas Weber',
    team: [who.jonas, who.sofiaAI, who.grace],
    steps: [
      finding(
        'payments-api 500 rate 18%; its log: `FATAL: sorry, too many clients already` from payments-db.',
        { by: 1 },
      ),
      finding(
        'pg_stat_activity on payments-db: 497 of max_connections=500 in use, 380 of them idle, from payments-worker pods.',
        {
          by: 1,
          evidence: [
            {
              label: 'connections by application',
              query: 'select application_name, state, count(*) from pg_stat_activity group by 1, 2',
            },
          ],
        },
      ),
      theory('cpu', 'payments-db is overloaded', 'Latency went up before the errors.', { by: 2 }),
      rejection(
        'cpu',
        'payments-db CPU 35%, p99 query time 6 ms.',
        'The database is not busy; the limit hit is the connection count, not load.',
        { by: 1 },
      ),
      theory(
        'workers',
        'payments-worker scaled out and each pod opens its own pool straight to Postgres',
        'HPA took payments-worker from 20 to 60 pods at 16:05.',
        { by: 1 },
      ),
      finding(
        'payments-worker connects to payments-db:5432 directly, pool size 10 per pod: 60 pods is 600 connections, past the ' +
          'limit on its own.',
        {
          by: 1,
          refs: ['workers'],
        },
      ),
      confirm(
        'workers',
        'Cause: payments-worker scale-out exhausted payments-db connections',
        'Direct connections bypassing pgbouncer, 10 per pod.',
        'The connection count tracks the pod count exactly.',
      ),
      decision(
        'Cap payments-worker HPA at 30 pods',
        'Immediate relief.',
        'Cuts worst-case connections to 300; the queue drains more slowly but safely.',
      ),
      decision(
        'Route payments-worker through pgbouncer in transaction mode',
        'Config change, next deploy.',
        'One pooled path for every client of payments-db.',
      ),
      action(
        'budget',
        'Write a connection budget per service into the payments-db runbook',
        'Who may hold how many.',
        { by: 2 },
      ),
      action('alert80', 'Alert at 80% of max_connections on every Postgres', 'Before clients are refused.', {
        by: 1,
      }),
      done('alert80', 'Alert live on all 14 clusters.', { by: 1, after: 240 }),
    ],
  },
  {
    id: 'past-pg-conn-2',
    mode: 'pg-too-many-clients',
    title: 'Refund jobs failing intermittently',
    severity: 'SEV3',
    created: '2026-06-30T10:05:00Z',
    commander: 'Grace Mensah',
    team: [who.grace, who.raviAI],
    steps: [
      finding(
        'About one refund batch in five fails. refunds-batch traceback ends in ' +
          '`psycopg2.OperationalError: FATAL: sorry, too many clients already`.',
        { by: 1 },
      ),
      theory('bouncer', 'pgbouncer crashed or restarted', 'The errors come in bursts.', { by: 0 }),
      rejection(
        'bouncer',
        'pgbouncer uptime 41 days.',
        'refunds-batch connects to payments-db on 5432 directly; it never goes through pgbouncer on 6432.',
        { by: 1 },
      ),
      theory(
        'param',
        'The last parameter group change lowered max_connections',
        'Someone touched the parameter group in June.',
        { by: 0 },
      ),
      rejection(
        'param',
        'max_connections is still 500.',
        'The June change was work_mem only; the parameter group diff shows nothing else.',
        { by: 1 },
      ),
      theory(
        'leak',
        'refunds-batch leaks connections when the payment provider call raises',
        'Connection count climbs during each batch and never comes down.',
        { by: 1 },
      ),
      finding(
        'In refunds-batch the session is opened before the provider call and only closed on success; every provider error ' +
          'leaves a connection open until the pod exits.',
        {
          by: 1,
          refs: ['leak'],
        },
      ),
      confirm(
        'leak',
        'Cause: connection leak in refunds-batch on the error path',
        'Opened sessions are never closed when the provider call fails.',
        'Reproduced locally: 50 forced failures, 50 idle connections left behind.',
      ),
      decision(
        'Wrap the session in a context manager and ship the fix today',
        'One-line change plus a test.',
        'Small, safe, and removes the leak at its source.',
      ),
      action(
        'pool',
        'Put refunds-batch behind pgbouncer like the other payments-db clients',
        'Also caps what any leak can take.',
        { by: 1 },
      ),
    ],
  },
  {
    id: 'past-pg-conn-3',
    mode: 'pg-too-many-clients',
    title: 'Ledger writes timing out during month-end close',
    severity: 'SEV2',
    created: '2026-10-31T22:10:00Z',
    commander: 'Elena Petrova',
    team: [who.elena, who.marcusAI, who.seun],
    steps: [
      finding('ledger-svc write timeouts since 22:00; finance reports the month-end close stalled.'),
      finding(
        'ledger-db log: `FATAL: remaining connection slots are reserved for non-replication superuser connections`, then ' +
          '`FATAL: sorry, too many clients already`.',
        { by: 1 },
      ),
      theory(
        'network',
        'Network trouble between ledger-svc and ledger-db',
        'Timeouts look like packet loss.',
        { by: 2 },
      ),
      rejection(
        'network',
        'TCP connects in under 1 ms; the server answers at once with FATAL.',
        'It is the server refusing sessions, not the network losing them.',
        { by: 1 },
      ),
      theory(
        'close-workers',
        'The month-end close job spawns one connection per worker with no pooling',
        'Close runs 200 workers in parallel this month, up from 40.',
        { by: 1 },
      ),
      finding(
        'pg_stat_activity: 212 sessions from month-end-close, each holding a connection while waiting on the others.',
        { by: 1, refs: ['close-workers'] },
      ),
      confirm(
        'close-workers',
        'Cause: month-end close exhausted ledger-db connections',
        '200 workers, one connection each, on top of normal traffic.',
        'Sessions by application show month-end-close taking the slots.',
      ),
      decision(
        'Rerun month-end close with 40 workers',
        'Slower but inside the connection budget.',
        'Finance needs the close by 06:00; 40 workers finish by 03:00.',
      ),
      action(
        'pooler',
        'Give month-end-close a pooled connection limit',
        'A semaphore of 30 connections, whatever the worker count.',
        { by: 1 },
      ),
      gap('who-raised', 'Why was the worker count raised to 200 this month?', 'No change ticket found yet.', {
        by: 2,
      }),
    ],
  },
  {
    id: 'past-dns-1',
    mode: 'dns-resolution',
    title: 'Intermittent 502s across services in the eu-west-1 cluster',
    severity: 'SEV2',
    created: '2026-02-17T09:30:00Z',
    commander: 'Kenji Watanabe',
    team: [who.kenji, who.hanaAI, who.jonas],
    steps: [
      finding('About 3% of inter-service requests fail in eu-west-1; the rest of the fleet is fine.'),
      finding(
        'Failing calls log `dial tcp: lookup ledger-svc.internal on 10.96.0.10:53: no such host` and sometimes `server misbehaving`.',
        { by: 1 },
      ),
      theory('ledger-down', 'ledger-svc itself is down', 'Most failures name ledger-svc.', { by: 2 }),
      rejection(
        'ledger-down',
        "ledger-svc's own health checks pass and calls to its pod IPs succeed.",
        'The failures happen at name lookup, before any connection to ledger-svc.',
        { by: 1 },
      ),
      theory(
        'coredns',
        'CoreDNS is under-provisioned after the node count doubled',
        'The cluster grew from 80 to 170 nodes last week.',
        { by: 1 },
      ),
      finding('CoreDNS pods are CPU-throttled at their 100m limit; SERVFAIL responses up 40x since Friday.', {
        by: 1,
        refs: ['coredns'],
      }),
      confirm(
        'coredns',
        'Cause: CoreDNS throttled after cluster growth',
        'Two CoreDNS replicas with 100m CPU for 170 nodes.',
        'Throttling and SERVFAIL rise together with node count.',
      ),
      decision(
        'Scale CoreDNS to 6 replicas with 500m CPU',
        'kubectl scale plus a limit change.',
        'Quick and reversible; errors should stop within minutes.',
      ),
      finding('After scaling, zero `no such host` errors in 30 minutes.', { by: 1 }),
      action('nodelocal', 'Deploy NodeLocal DNSCache cluster-wide', 'Takes most lookups off CoreDNS.', {
        tags: ['owner:platform'],
      }),
      gap('autoscale', 'Why did cluster-proportional-autoscaler not scale CoreDNS?', 'It should have.', {
        by: 2,
      }),
      answer('autoscale', 'The autoscaler ConfigMap was deleted in the January cleanup.', {
        by: 1,
        after: 60,
      }),
    ],
  },
  {
    id: 'past-dns-2',
    mode: 'dns-resolution',
    title: 'catalog-svc cannot find inventory-db after the VPC change',
    severity: 'SEV2',
    created: '2026-07-09T14:50:00Z',
    commander: 'Sofía García',
    team: [who.sofia, who.dmitriAI],
    steps: [
      finding(
        'catalog-svc pods in the new VPC crash-loop at start-up: `getaddrinfo EAI_AGAIN inventory-db.prod.internal`.',
        { by: 1 },
      ),
      theory(
        'failover',
        'inventory-db failed over and its endpoint changed',
        'Failovers change the writer IP.',
        { by: 0 },
      ),
      rejection(
        'failover',
        'No failover event; nslookup from a bastion in the old VPC resolves the name.',
        'The record is fine; only the new VPC cannot resolve it.',
        { by: 1 },
      ),
      theory(
        'zone',
        'The private hosted zone is not associated with the new VPC',
        'Terraform ran against the network stack at 14:20.',
        { by: 1 },
      ),
      finding(
        'The Route 53 private zone prod.internal lost its association with vpc-new during the apply: the plan showed the ' +
          'association replaced, then the create failed on a quota.',
        {
          by: 1,
          refs: ['zone'],
        },
      ),
      confirm(
        'zone',
        'Cause: prod.internal zone association dropped from the new VPC',
        'Lookups in that VPC go to the public resolver and get nothing.',
        'Re-associating in staging makes the name resolve at once.',
      ),
      decision(
        'Re-associate the zone by hand, then reconcile Terraform',
        'Manual association first.',
        'Restores resolution now; Terraform is fixed after the quota is raised.',
      ),
      action(
        'plan-review',
        'Flag aws_route53_zone_association replacements in Terraform plan review',
        'A replace of that resource means an outage window.',
        { by: 1 },
      ),
    ],
  },
  {
    id: 'past-dns-3',
    mode: 'dns-resolution',
    title: 'Spikes of 5 s latency on outbound calls from checkout-svc',
    severity: 'SEV3',
    created: '2026-11-02T11:00:00Z',
    commander: 'Marcus Johnson',
    team: [who.marcus, who.priyaAI],
    steps: [
      finding(
        'checkout-svc p99 to external APIs jumps to just over 5 s for about 1% of calls; the rest are normal.',
      ),
      finding(
        'Slow calls log `lookup api.stripe.com on 10.96.0.10:53: read udp 10.2.4.17:41234->10.96.0.10:53: i/o timeout` before ' +
          'retrying and succeeding.',
        { by: 1 },
      ),
      theory('vendor', 'The payment provider API is slow', 'The slow calls are mostly to the provider.', {
        by: 0,
      }),
      rejection(
        'vendor',
        'Client spans show the 5 s spent before the TCP connect.',
        'The time is in DNS resolution, not at the provider; their status page is clean too.',
        { by: 1 },
      ),
      theory(
        'conntrack',
        'A conntrack race drops one of the parallel A and AAAA lookups',
        'The 5 s is exactly the resolver timeout.',
        { by: 1 },
      ),
      finding(
        'conntrack -S shows insert_failed climbing on checkout nodes; ndots:5 makes each lookup try four search domains first.',
        { by: 1, refs: ['conntrack'] },
      ),
      confirm(
        'conntrack',
        'Cause: conntrack race on parallel UDP DNS lookups, amplified by ndots:5',
        'Known kernel race; one dropped packet costs the 5 s timeout.',
        'insert_failed counts match the slow calls.',
      ),
      decision(
        'Set ndots:2 and single-request-reopen in checkout-svc dnsConfig',
        'Pod spec change.',
        'Fewer lookups and no parallel race; the standard mitigation.',
      ),
      action(
        'nodelocal-2',
        'Roll NodeLocal DNSCache out to the checkout node pool',
        'TCP upstream avoids the race entirely.',
        { by: 1 },
      ),
    ],
  },
  {
    id: 'past-oom-1',
    mode: 'oom-kill',
    title: 'notif-sender restarting in a loop; push notifications delayed',
    severity: 'SEV2',
    created: '2026-03-05T19:25:00Z',
    commander: 'Fatima Noor',
    team: [who.fatima, who.jonasAI, who.liam],
    steps: [
      finding(
        'notif-sender: 14 restarts in 30 minutes; `kubectl describe pod` shows Last State Terminated, Reason: OOMKilled, Exit Code: 137.',
        { by: 1 },
      ),
      finding('Heap grows steadily from start until the 1 GiB limit, since release 4.12 went out at 17:00.', {
        by: 1,
      }),
      theory(
        'node-pressure',
        'Node memory pressure is evicting the pods',
        'Several pods on the same nodes restarted.',
        { by: 2 },
      ),
      rejection(
        'node-pressure',
        'Reason is OOMKilled, not Evicted; nodes have 40% memory free.',
        'The container hit its own limit; the node was fine.',
        { by: 1 },
      ),
      theory(
        'template-cache',
        'The template cache added in 4.12 grows without bound',
        'It caches a rendered template per user and locale.',
        { by: 1 },
      ),
      finding('Heap dump: 780 MB in TemplateCache entries, one per user id.', {
        by: 1,
        refs: ['template-cache'],
      }),
      confirm(
        'template-cache',
        'Cause: unbounded template cache in notif-sender 4.12',
        'One entry per user, never evicted.',
        'The heap dump is dominated by it and 4.11 is flat.',
      ),
      decision(
        'Roll notif-sender back to 4.11',
        'Rollback now, fix forward later.',
        'Stops the crash loop; 4.11 has no cache.',
      ),
      action(
        'lru',
        'Bound the template cache (LRU, 5,000 entries) before re-shipping',
        'Key by template and locale, not by user.',
        { by: 2 },
      ),
      action('limit', 'Raise notif-sender memory limit to 1.5 GiB for headroom', 'Temporary.', { by: 1 }),
      done('limit', 'Limit raised.', { by: 1, after: 30 }),
    ],
  },
  {
    id: 'past-oom-2',
    mode: 'oom-kill',
    title: 'image-resizer crashes on large uploads',
    severity: 'SEV3',
    created: '2026-06-11T08:40:00Z',
    commander: 'Mei Lin',
    team: [who.mei, who.seunAI],
    steps: [
      finding('Uploads over ~20 MB fail with 502; image-resizer pods restart each time.'),
      finding(
        'Node dmesg: `Memory cgroup out of memory: Killed process 23112 (node) total-vm:3145728kB, anon-rss:2090132kB`.',
        { by: 1 },
      ),
      theory('node20', 'A memory leak since the Node 20 upgrade', 'The upgrade shipped last week.', {
        by: 0,
      }),
      rejection(
        'node20',
        'Memory is flat between requests and drops back after each.',
        'No leak: the spikes line up with single requests for very large images.',
        { by: 1 },
      ),
      theory(
        'decode',
        'Huge images are decoded fully into memory',
        'A 12000x12000 PNG is 576 MB decoded, more with copies.',
        { by: 1 },
      ),
      finding(
        'Replaying one 12000x12000 PNG upload takes the pod from 300 MB to 2.1 GB and it is OOM-killed.',
        { by: 1, refs: ['decode'] },
      ),
      confirm(
        'decode',
        'Cause: full decode of very large images exceeds the container limit',
        'sharp decodes the whole bitmap before resizing.',
        'One request reproduces the kill.',
      ),
      decision(
        'Reject images over 50 megapixels at the API',
        'Clear 413 with a message.',
        'Protects the service today; legitimate uploads are far smaller.',
      ),
      action(
        'stream',
        'Resize very large images with a streaming decoder',
        'So limits can be raised later.',
        { by: 1 },
      ),
    ],
  },
  {
    id: 'past-oom-3',
    mode: 'oom-kill',
    title: 'Nightly order export killed every night since Tuesday',
    severity: 'SEV4',
    created: '2026-09-24T06:15:00Z',
    commander: 'Tomás Ferreira',
    team: [who.tomas, who.elenaAI],
    steps: [
      finding(
        'report-exporter CronJob pods end with OOMKilled (exit code 137) about 40 minutes in, three nights running.',
      ),
      theory('volume', 'Order volume grew past what the job can hold', 'It loads a day of orders.', {
        by: 0,
      }),
      rejection(
        'volume',
        'Rows up only 4% week over week; the job ran fine at the same size last week.',
        'Data did not change enough; something in the runtime did.',
        { by: 1 },
      ),
      theory(
        'xmx',
        'JVM max heap is set above the container memory limit',
        'The base image changed on Tuesday.',
        { by: 1 },
      ),
      finding(
        'The new base image sets JAVA_OPTS=-Xmx3g; the container limit is 2Gi, so the kernel kills the JVM before it ever collects.',
        {
          by: 1,
          refs: ['xmx'],
        },
      ),
      confirm(
        'xmx',
        'Cause: -Xmx above the container limit after the base image change',
        'The heap may grow past the cgroup limit.',
        'With -XX:MaxRAMPercentage=75 the job completes.',
      ),
      decision(
        'Use MaxRAMPercentage=75 instead of a fixed -Xmx in every JVM job',
        'Fix in the base image.',
        'The heap then follows whatever limit the pod gets.',
      ),
      action(
        'audit-jvm',
        'Audit other JVM workloads on that base image for the same setting',
        'Six services use it.',
        { by: 1 },
      ),
    ],
  },
  {
    id: 'past-disk-full-1',
    mode: 'disk-full',
    title: 'orders-db went read-only in the middle of the night',
    severity: 'SEV1',
    created: '2026-04-08T03:12:00Z',
    commander: 'Ravi Kulkarni',
    team: [who.ravi, who.graceAI, who.kenji],
    steps: [
      finding('Every order write fails since 03:05 UTC; orders-api returns 500.'),
      finding(
        'orders-db log: `PANIC: could not write to file "pg_wal/xlogtemp.3121": No space left on device`. The instance ' +
          'restarted and is refusing writes.',
        { by: 1 },
      ),
      theory('growth', 'A table grew suddenly and filled the volume', 'Order volume was high yesterday.', {
        by: 2,
      }),
      rejection(
        'growth',
        'base/ is the same size as last week.',
        'pg_wal is 480 GB of the 500 GB volume; the tables did not grow.',
        { by: 1 },
      ),
      theory(
        'slot',
        'An inactive replication slot is retaining WAL',
        'WAL only piles up when something holds it.',
        { by: 1 },
      ),
      finding('pg_replication_slots: slot `analytics_cdc` inactive since Mar 29, restart_lsn 11 days old.', {
        by: 1,
        refs: ['slot'],
        evidence: [
          { label: 'slots', query: 'select slot_name, active, restart_lsn from pg_replication_slots' },
        ],
      }),
      confirm(
        'slot',
        'Cause: abandoned CDC replication slot retained WAL until the disk filled',
        'The analytics CDC connector was decommissioned without dropping its slot.',
        'Dropping it frees 470 GB of WAL on a restored copy.',
      ),
      decision(
        'Grow the volume to 800 GB, then drop the analytics_cdc slot',
        'Volume first so the database can start.',
        'Postgres needs free space to start and recycle WAL; dropping the slot alone cannot run while it is down.',
      ),
      finding('orders-db writable again at 04:02 UTC; WAL down to 9 GB.', { by: 1 }),
      action(
        'slot-alert',
        'Alert on any replication slot inactive for more than an hour or retaining over 50 GB',
        'On every Postgres.',
        { tags: ['owner:dba'] },
      ),
      action('disk-alert', 'Page at 85% disk on database volumes instead of 95%', 'Leaves time to act.', {
        by: 2,
      }),
      done('disk-alert', 'Threshold changed on all database volumes.', { by: 2, after: 120 }),
    ],
  },
  {
    id: 'past-disk-full-2',
    mode: 'disk-full',
    title: 'Log shipping stopped and api-gateway nodes marked unhealthy',
    severity: 'SEV3',
    created: '2026-08-21T15:30:00Z',
    commander: "Liam O'Connor",
    team: [who.liam, who.meiAI],
    steps: [
      finding(
        'No api-gateway logs in the log store since 14:50; four gateway nodes failing kubelet health checks.',
      ),
      finding(
        'fluent-bit: `[error] [storage] ENOSPC: no space left on device, write`; `df -h /var/log` shows 100% on those nodes.',
        { by: 1 },
      ),
      theory('fluentbit', 'A bug in the new fluent-bit version', 'fluent-bit is where the errors are.', {
        by: 0,
      }),
      rejection(
        'fluentbit',
        'fluent-bit has been on the same version for two months.',
        'The disk filled first; fluent-bit errors only follow once /var/log is full.',
        { by: 1 },
      ),
      theory(
        'debug',
        'Debug logging left on in api-gateway filled /var/log',
        'A debug session happened yesterday.',
        { by: 1 },
      ),
      finding(
        'api-gateway log level is DEBUG since yesterday 16:00 (a debugging change never reverted): 40 GB of logs a day on each node.',
        { by: 1, refs: ['debug'] },
      ),
      confirm(
        'debug',
        'Cause: debug logging left on filled the nodes\u2019 log volume',
        'Log rotation keeps 7 files but each grew to several GB.',
        'Disk usage grows at exactly the debug log rate.',
      ),
      decision(
        'Set api-gateway log level back to INFO and truncate the old debug logs',
        'Config change, then clean-up.',
        'Frees the disks in minutes and restarts shipping.',
      ),
      action(
        'rotate-size',
        'Rotate container logs by size (100 MB), not only by count',
        'Kubelet containerLogMaxSize.',
        { by: 1 },
      ),
      gap(
        'expiry',
        'Can a debug log level expire on its own after a few hours?',
        'Would stop this class of mistake.',
      ),
    ],
  },
  {
    id: 'past-kafka-lag-1',
    mode: 'kafka-consumer-lag',
    title: 'Order confirmation emails delayed by 40 minutes',
    severity: 'SEV2',
    created: '2026-01-09T12:35:00Z',
    commander: "Liam O'Connor",
    team: [who.liam, who.graceAI, who.tomas],
    steps: [
      finding(
        'Customers report confirmation emails 30-40 minutes late. Consumer group notif-sender on topic order-events: lag 1.2M and rising.',
        { by: 1 },
      ),
      finding(
        'notif-sender logs ' +
          '`CommitFailedException: Commit cannot be completed since the group has already rebalanced and assigned the ' +
          'partitions to another member`; the group rebalances about every 5 minutes.',
        { by: 1 },
      ),
      theory('brokers', 'The Kafka brokers are degraded', 'Lag on a big topic.', { by: 2 }),
      rejection(
        'brokers',
        'Broker request latency and ISR are normal; other consumer groups on order-events are at zero lag.',
        'Only this group is behind, so the brokers are not the problem.',
        { by: 1 },
      ),
      theory(
        'poll-interval',
        'Batches take longer than max.poll.interval.ms, so members are kicked out and the group rebalances forever',
        'Processing got slower with the new template rendering.',
        { by: 1 },
      ),
      finding('Processing 500 records now takes about 320 s, over max.poll.interval.ms=300000.', {
        by: 1,
        refs: ['poll-interval'],
      }),
      confirm(
        'poll-interval',
        'Cause: poll interval exceeded, endless rebalancing of notif-sender',
        'Each rebalance throws away the batch in progress.',
        'The numbers match and lowering the batch size stops the rebalances in staging.',
      ),
      decision(
        'Lower max.poll.records from 500 to 50',
        'Config change and rolling restart.',
        'Batches then take about 32 s, well inside the interval.',
      ),
      finding('No rebalances since 13:20; lag draining at 9k messages per second.', { by: 1 }),
      action('lag-alert', 'Alert on consumer lag per group, not per topic', 'Topic-level lag hid this.', {
        tags: ['owner:streaming'],
      }),
    ],
  },
  {
    id: 'past-kafka-lag-2',
    mode: 'kafka-consumer-lag',
    title: 'New products missing from the storefront for hours',
    severity: 'SEV3',
    created: '2026-05-04T09:10:00Z',
    commander: 'Ravi Kulkarni',
    team: [who.ravi, who.dmitriAI],
    steps: [
      finding(
        'Merchants say products added this morning do not show up. catalog-indexer consumer group on product-updates: lag 2.3M.',
        { by: 1 },
      ),
      theory('crashed', 'catalog-indexer crashed', 'No indexing activity seen.', { by: 0 }),
      rejection(
        'crashed',
        'All 12 consumers are alive and committing offsets.',
        'Lag is on partition 7 only; the others are at zero.',
        { by: 1 },
      ),
      theory(
        'hot-partition',
        'One hot partition: a single large merchant keyed onto partition 7',
        'Messages are keyed by merchant id.',
        { by: 1 },
      ),
      finding(
        'A merchant bulk-imported 2M products at 07:00; all of them hash to partition 7, consumed by a single member.',
        { by: 1, refs: ['hot-partition'] },
      ),
      confirm(
        'hot-partition',
        'Cause: hot partition from keying by merchant id',
        'One consumer cannot keep up with one merchant bulk import.',
        'Lag on partition 7 alone accounts for it all.',
      ),
      decision(
        'Run a temporary catch-up consumer just for partition 7 with batch writes',
        'Manual assignment, bulk index API.',
        'Drains in about an hour without re-keying the topic in a hurry.',
      ),
      action('rekey', 'Key product-updates by product id instead of merchant id', 'Needs ordering review.', {
        by: 1,
      }),
      gap(
        'ordering',
        'Does anything depend on per-merchant ordering of product updates?',
        'Must be known before re-keying.',
      ),
    ],
  },
  {
    id: 'past-kafka-lag-3',
    mode: 'kafka-consumer-lag',
    title: 'Fraud scores missing on 20% of payments',
    severity: 'SEV2',
    created: '2026-10-27T09:20:00Z',
    commander: 'Sofía García',
    team: [who.sofia, who.aishaAI],
    steps: [
      finding(
        'payments-api falls back to the default fraud score on 20% of payments because the score is not ready in time.',
      ),
      finding(
        'fraud-scorer consumer group on payment-events: lag grew from 0 to 900k since 09:12; throughput fell by 70%.',
        { by: 1 },
      ),
      theory(
        'partitions',
        'payment-events has too few partitions for the current volume',
        'Volume is up this month.',
        { by: 0 },
      ),
      rejection(
        'partitions',
        'Same partition count and volume as yesterday, when lag was zero.',
        'Per-message time went from 8 ms to 95 ms at 09:12: the consumer got slower, not the topic busier.',
        { by: 1 },
      ),
      theory(
        'feature-store',
        'The feature store got slower for fraud-scorer lookups',
        'fraud-scorer calls it for every message.',
        { by: 1 },
      ),
      finding(
        'feature-store p99 went from 5 ms to 80 ms at 09:12, when one of its cache nodes was replaced.',
        { by: 1, refs: ['feature-store'] },
      ),
      confirm(
        'feature-store',
        'Cause: feature-store slowdown after a cache node replacement throttled fraud-scorer',
        'The new node came up cold.',
        'Lag started with the replacement and stops when the cache is warm.',
      ),
      decision(
        'Scale fraud-scorer consumers to the partition count while the cache warms',
        'From 8 to 24 consumers.',
        'More parallelism hides the slower lookups until the cache is warm.',
      ),
      action(
        'warm',
        'Warm feature-store cache nodes before they take traffic',
        'Replay the last hour of keys.',
        { by: 1 },
      ),
    ],
  },
  {
    id: 'past-ratelimit-1',
    mode: 'third-party-rate-limit',
    title: 'SMS one-time codes not arriving',
    severity: 'SEV2',
    created: '2026-03-26T18:05:00Z',
    commander: 'Hana Sato',
    team: [who.hana, who.kenjiAI],
    steps: [
      finding('Support tickets: login codes by SMS not arriving. sms-gateway success rate 12%.'),
      finding(
        'sms-gateway logs `429 Too Many Requests` from the SMS provider (error 20429) on most sends; our retries fire ' +
          'immediately with no backoff.',
        { by: 1 },
      ),
      theory('carrier', 'A carrier outage', 'Some users are on the same carrier.', { by: 0 }),
      rejection(
        'carrier',
        'The provider console shows our requests refused at their edge with 429.',
        'The messages never reach a carrier; the provider is throttling us.',
        { by: 1 },
      ),
      theory(
        'campaign',
        'A marketing campaign on the same provider account used up our rate limit',
        'Marketing sent a promotion at 18:00.',
        { by: 1 },
      ),
      finding(
        'The promotion sent 400k messages from the same account; the per-account limit is 100 per second.',
        { by: 1, refs: ['campaign'] },
      ),
      confirm(
        'campaign',
        'Cause: shared provider account throttled by a marketing send',
        'Transactional codes wait behind promotions.',
        'Throttling begins and ends with the campaign.',
      ),
      decision(
        'Pause the campaign and add exponential backoff with jitter to sms-gateway retries',
        'Both now.',
        'The pause frees capacity; backoff stops our retries from making the 429s worse.',
      ),
      action(
        'subaccount',
        'Split transactional and marketing SMS into separate provider sub-accounts',
        'Separate rate limits.',
        { tags: ['owner:messaging'] },
      ),
      gap(
        'fallback',
        'Should login codes fall back to email when SMS is throttled?',
        'Product decision needed.',
      ),
    ],
  },
  {
    id: 'past-ratelimit-2',
    mode: 'third-party-rate-limit',
    title: 'Address validation failing at checkout',
    severity: 'SEV3',
    created: '2026-08-05T13:40:00Z',
    commander: 'Marcus Johnson',
    team: [who.marcus, who.priyaAI],
    steps: [
      finding('Checkout shows "address could not be verified" for about 30% of orders.'),
      finding(
        'address-svc gets `HTTP 429: rate limit exceeded` from the geocoding vendor; response header `X-RateLimit-Remaining: 0` ' +
          'on our production account.',
        { by: 1 },
      ),
      theory('vendor-down', 'The geocoding vendor is having an outage', 'Their API is failing.', { by: 0 }),
      rejection(
        'vendor-down',
        'The same vendor answers 200 for our staging account.',
        'Only production is refused, with a rate-limit status: throttling, not an outage.',
        { by: 1 },
      ),
      theory(
        'backfill',
        'A new caller is spending our vendor quota',
        'Quota is shared by every caller of address-svc.',
        { by: 1 },
      ),
      finding(
        'crm-sync started an address backfill at 13:00, calling address-svc 80 times a second; our vendor quota is 100 per second.',
        { by: 1, refs: ['backfill'] },
      ),
      confirm(
        'backfill',
        'Cause: crm-sync backfill used up the geocoding vendor quota',
        'Checkout shares the quota with batch work.',
        'Stopping the backfill brings the 429s to zero.',
      ),
      decision(
        'Stop the backfill and give address-svc a per-caller rate limit',
        'Batch callers get 20 per second.',
        'Checkout must never queue behind a batch job.',
      ),
      action('quota-alert', 'Alert when vendor quota use passes 70%', 'From the rate-limit headers.', {
        by: 1,
      }),
    ],
  },
  {
    id: 'past-flag-1',
    mode: 'bad-feature-flag',
    title: 'Tax miscalculated on EU orders',
    severity: 'SEV2',
    created: '2026-02-26T14:20:00Z',
    commander: 'Elena Petrova',
    team: [who.elena, who.tomasAI],
    steps: [
      finding('Finance sees VAT computed on the pre-discount price for EU orders since 14:02.'),
      theory('rates', 'A tax rate table update went wrong', 'Rates are updated monthly.', { by: 0 }),
      rejection(
        'rates',
        'The rates table has not changed since January.',
        'The wrong totals start at 14:02, when the flag audit log shows a rollout change; no rate change then.',
        { by: 1 },
      ),
      theory(
        'flag',
        'Flag checkout.new_tax_engine was rolled out to everyone by mistake',
        'It was meant to be at 10%.',
        { by: 1 },
      ),
      finding(
        'Flag audit log: checkout.new_tax_engine changed from 10% to 100% at 14:02 in the production environment (meant for staging).',
        { by: 1, refs: ['flag'] },
      ),
      confirm(
        'flag',
        'Cause: checkout.new_tax_engine rolled to 100% in production by mistake',
        'The new engine has the pre-discount VAT bug.',
        'Turning it off restores correct totals immediately.',
      ),
      decision(
        'Turn checkout.new_tax_engine off everywhere',
        'Kill switch.',
        'Correct totals now; the engine needs a fix before any more rollout.',
      ),
      action(
        'approval',
        'Require a second approver for production flag changes above 50%',
        'In the flag service settings.',
        { by: 1 },
      ),
      action('refunds', 'Correct the VAT on the 3,400 affected orders', 'Finance to run the adjustment.', {
        tags: ['owner:finance'],
      }),
      done('refunds', 'Adjustments issued.', { after: 600 }),
    ],
  },
  {
    id: 'past-flag-2',
    mode: 'bad-feature-flag',
    title: 'Homepage blank for logged-out visitors',
    severity: 'SEV2',
    created: '2026-07-22T10:45:00Z',
    commander: 'Oluwaseun Adeyemi',
    team: [who.seun, who.meiAI],
    steps: [
      finding(
        'Logged-out visitors see an empty page; the browser console shows ' +
          "`TypeError: Cannot read properties of undefined (reading 'userId')`.",
        { by: 1 },
      ),
      theory(
        'cdn',
        'The CDN is serving a stale JavaScript bundle',
        'A frontend deploy went out this morning.',
        { by: 0 },
      ),
      rejection(
        'cdn',
        'The bundle hash served is the current one.',
        'Toggling the homepage flag off fixes the page with the same bundle, so the bundle is not stale.',
        { by: 1 },
      ),
      theory(
        'targeting',
        'The web.homepage_v3 flag targeting rule is inverted',
        'v3 needs a session but is shown to visitors without one.',
        { by: 1 },
      ),
      finding('The targeting rule for web.homepage_v3 reads "logged_in is false" since the edit at 10:31.', {
        by: 1,
        refs: ['targeting'],
      }),
      confirm(
        'targeting',
        'Cause: inverted targeting rule on web.homepage_v3',
        'Visitors without a session get the page that needs one.',
        'Fixing the rule fixes the page.',
      ),
      decision(
        'Fix the targeting rule and add a null check in homepage v3',
        'Rule first, code later today.',
        'The rule change is instant; the code change makes the page safe whatever the flag says.',
      ),
      action(
        'flag-tests',
        'Add a flag-state matrix to the homepage end-to-end tests',
        'Logged in and out, each flag value.',
        { by: 1 },
      ),
    ],
  },
  {
    id: 'past-clock-skew-1',
    mode: 'clock-skew',
    title: 'Intermittent 401s on internal API calls',
    severity: 'SEV3',
    created: '2026-04-15T10:00:00Z',
    commander: 'Jonas Weber',
    team: [who.jonas, who.fatimaAI],
    steps: [
      finding(
        'About 2% of internal calls get 401 from auth-svc: `token used before issued` and `Token is not valid yet (nbf)`.',
        { by: 1 },
      ),
      theory('key-rotation', 'The JWT signing key rotation went wrong', 'Keys rotated yesterday.', { by: 0 }),
      rejection(
        'key-rotation',
        'The kid in failing tokens matches the current JWKS; the signatures verify.',
        'Keys are fine; failures only come from tokens minted on one node.',
        { by: 1 },
      ),
      theory(
        'drift',
        'The clock on one node drifted ahead',
        'Tokens minted in the future would fail the nbf check.',
        { by: 1 },
      ),
      finding('Node ip-10-4-3-21: clock 47 s ahead, chronyd not running since the kernel patch reboot.', {
        by: 1,
        refs: ['drift'],
      }),
      confirm(
        'drift',
        'Cause: clock skew on one node after chronyd failed to start',
        'Tokens issued there look like they come from the future.',
        'All failing tokens were minted by pods on that node.',
      ),
      decision(
        'Cordon ip-10-4-3-21 and start chronyd',
        'Drain its pods elsewhere.',
        'Stops bad tokens at once; the node can be fixed offline.',
      ),
      action(
        'offset-alert',
        'Alert on node clock offset over 500 ms',
        'node_timex_offset_seconds from node-exporter.',
        { by: 1 },
      ),
      action('leeway', 'Allow 30 s leeway on nbf and iat checks in auth-svc', 'Common practice.', { by: 1 }),
      done('leeway', 'Shipped in auth-svc 2.8.', { by: 1, after: 500 }),
    ],
  },
  {
    id: 'past-clock-skew-2',
    mode: 'clock-skew',
    title: 'SSO logins to the admin console failing for some staff',
    severity: 'SEV3',
    created: '2026-09-30T08:20:00Z',
    commander: 'Kenji Watanabe',
    team: [who.kenji, who.graceAI],
    steps: [
      finding(
        'Admin console SSO fails for about half the staff with `SAML response not yet valid (NotBefore)`.',
        { by: 1 },
      ),
      theory(
        'idp-cert',
        'The IdP signing certificate expired',
        'Certificates expire around now every year.',
        { by: 0 },
      ),
      rejection(
        'idp-cert',
        'The IdP certificate is valid until 2027 and the signature verifies.',
        'The failure is about time validity of the assertion, not the certificate.',
        { by: 1 },
      ),
      theory(
        'idp-clock',
        'One of the IdP hosts has a clock running ahead',
        'Only some logins fail, as if from one of two hosts.',
        { by: 1 },
      ),
      finding(
        'idp-2 clock is 4 minutes ahead: its NTP source became unreachable after Monday\u2019s firewall change.',
        { by: 1, refs: ['idp-clock'] },
      ),
      confirm(
        'idp-clock',
        'Cause: clock skew on idp-2 after NTP was blocked',
        'Assertions from idp-2 carry a NotBefore in the future.',
        'Every failing assertion came from idp-2.',
      ),
      decision(
        'Open NTP (udp/123) from the IdP subnet and resync idp-2',
        'Firewall rule restored.',
        'Fixes the cause; leeway alone would hide the next drift.',
      ),
      action(
        'ntp-monitor',
        'Monitor NTP sync state on hosts outside Kubernetes',
        'chronyc tracking exported.',
        { by: 1 },
      ),
    ],
  },
];
