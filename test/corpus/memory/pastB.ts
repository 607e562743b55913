// Past incidents, second half: TLS handshakes, thread pool exhaustion, cache stampedes, network
// partitions, rotated or expired credentials, cron jobs run twice, schema migration locks, replica
// lag, keep-alive races behind a proxy; then distractors, one-off incidents that share only
// generic words (latency, deploy, errors) with the rest.
import { type PastSpec, action, confirm, decision, done, finding, gap, rejection, theory } from './build.js';
import * as who from './people.js';

export const pastB: PastSpec[] = [
  {
    id: 'past-tls-handshake-1',
    mode: 'tls-handshake',
    title: 'Legacy POS terminals cannot connect after the load balancer change',
    severity: 'SEV2',
    created: '2026-03-12T09:00:00Z',
    commander: 'Grace Mensah',
    team: [who.grace, who.liamAI],
    steps: [
      finding('About 1,800 in-store POS terminals fail to sync since 08:30; phones and browsers are fine.'),
      finding(
        'Edge logs for pos.api hostnames: `tls: client offered only unsupported versions: [301 302]`.',
        { by: 1 },
      ),
      theory(
        'cert',
        'The certificate on pos.api expired',
        'Terminal errors just say "secure connection failed".',
        { by: 0 },
      ),
      rejection(
        'cert',
        'The certificate is valid until 2027 and modern clients connect fine.',
        'The handshake fails on protocol version before any certificate is sent.',
        { by: 1 },
      ),
      theory(
        'policy',
        'The new load balancer security policy dropped TLS 1.0 and 1.1',
        'The listener policy changed at 08:25.',
        { by: 1 },
      ),
      finding(
        'The listener moved to a TLS 1.2+ policy at 08:25; the terminals speak TLS 1.0 (0x0301) and 1.1 (0x0302) only.',
        { by: 1, refs: ['policy'] },
      ),
      confirm(
        'policy',
        'Cause: TLS 1.2+ policy on a listener legacy terminals use',
        'Their firmware cannot negotiate 1.2.',
        'Versions offered in the ClientHello match the refusal.',
      ),
      decision(
        'Serve POS hostnames from a separate listener with the legacy policy',
        'Only for pos.api hostnames.',
        'Restores terminals now and keeps every other hostname on 1.2+.',
      ),
      action(
        'firmware',
        'Upgrade POS firmware to a TLS 1.2 capable version',
        'Vendor rollout, several months.',
        { tags: ['owner:retail-eng'] },
      ),
    ],
  },
  {
    id: 'past-tls-handshake-2',
    mode: 'tls-handshake',
    title: 'Payouts to a partner bank failing at partner-gateway',
    severity: 'SEV2',
    created: '2026-10-06T11:30:00Z',
    commander: 'Ravi Kulkarni',
    team: [who.ravi, who.hanaAI],
    steps: [
      finding(
        'All calls from partner-gateway to the bank partner fail since the 11:05 deploy: `remote error: tls: handshake failure`.',
        { by: 1 },
      ),
      theory(
        'revoked',
        'The partner revoked our client certificate',
        'Partners rotate trust stores now and then.',
        { by: 0 },
      ),
      rejection(
        'revoked',
        'The partner sees our ClientHello and fails cipher negotiation; they sent no certificate alert.',
        'The failure is before client authentication, so the certificate is not in play.',
        { by: 1 },
      ),
      theory(
        'go-ciphers',
        'The Go upgrade in this deploy dropped the RSA key exchange cipher suites the partner needs',
        'partner-gateway went from Go 1.22 to 1.23.',
        { by: 1 },
      ),
      finding(
        'The partner only offers TLS_RSA_WITH_AES_128_GCM_SHA256; Go 1.23 removed RSA key exchange suites from the default list.',
        { by: 1, refs: ['go-ciphers'] },
      ),
      confirm(
        'go-ciphers',
        'Cause: Go 1.23 default cipher suites no longer include what the partner supports',
        'No overlap, so the handshake fails.',
        'With GODEBUG=tlsrsakex=1 the handshake succeeds in staging.',
      ),
      decision(
        'Set GODEBUG=tlsrsakex=1 on partner-gateway only',
        'Environment variable, redeploy.',
        'Restores payouts without rolling back the rest of the upgrade.',
      ),
      action(
        'partner-upgrade',
        'Ask the partner to support ECDHE suites',
        'Then remove the GODEBUG setting.',
        { by: 0 },
      ),
      gap('other-partners', 'Do other partners depend on RSA key exchange?', 'Needs a handshake scan.'),
    ],
  },
  {
    id: 'past-thread-pool-1',
    mode: 'thread-pool-exhaustion',
    title: 'orders-api hangs and health checks time out',
    severity: 'SEV1',
    created: '2026-02-10T17:45:00Z',
    commander: 'Dmitri Volkov',
    team: [who.dmitri, who.sofiaAI, who.marcus],
    steps: [
      finding(
        'orders-api stops answering; liveness probes time out and pods restart, then hang again within minutes.',
      ),
      finding(
        'Logs: `java.util.concurrent.RejectedExecutionException: Task rejected from ' +
          'java.util.concurrent.ThreadPoolExecutor[Running, pool size = 200, active threads = 200, queued tasks = 1000]`.',
        { by: 1 },
      ),
      theory('gc', 'Long GC pauses freeze the service', 'The JVM heap is large.', { by: 2 }),
      rejection(
        'gc',
        'GC logs show pauses under 50 ms.',
        'Threads are parked on socket reads, not stopped by the collector.',
        { by: 1 },
      ),
      theory(
        'no-timeout',
        'All request threads are stuck waiting on inventory-svc, which has no timeout',
        'inventory-svc got slow at 17:30.',
        { by: 1 },
      ),
      finding(
        'Thread dump: all 200 http-nio-8080-exec threads in InventoryClient.reserve, in socketRead0, with no read timeout set.',
        {
          by: 1,
          refs: ['no-timeout'],
          evidence: [{ label: 'thread dump', query: 'jcmd 1 Thread.print' }],
        },
      ),
      confirm(
        'no-timeout',
        'Cause: thread pool exhausted by calls to a slow inventory-svc without a timeout',
        'One slow dependency took every request thread.',
        'The dump shows every worker in the same call.',
      ),
      decision(
        'Add a 2 s timeout and a bulkhead of 40 threads for inventory calls',
        'Hotfix.',
        'A slow dependency may then take at most a fifth of the pool.',
      ),
      action('timeouts', 'Audit every HTTP client in orders-api for missing timeouts', 'Lint rule.', {
        by: 2,
      }),
      done('timeouts', 'Found and fixed four more.', { by: 2, after: 400 }),
      action('probe', 'Make liveness probes not depend on the request pool', 'Restarts made it worse.', {
        by: 1,
      }),
    ],
  },
  {
    id: 'past-thread-pool-2',
    mode: 'thread-pool-exhaustion',
    title: 'pricing-svc stops responding under moderate load',
    severity: 'SEV2',
    created: '2026-08-13T14:10:00Z',
    commander: 'Kenji Watanabe',
    team: [who.kenji, who.aishaAI],
    steps: [
      finding(
        'pricing-svc p99 goes from 40 ms to 30 s at only 60% of usual peak traffic; then requests fail.',
      ),
      finding(
        'pricing-svc logs `RejectedExecutionException` from the pricing-worker executor: queue of 10000 full, all workers busy.',
        { by: 1 },
      ),
      theory('db', 'pricing-db is slow', 'Prices come from pricing-db.', { by: 0 }),
      rejection('db', 'pricing-db p99 is 4 ms.', 'Workers are waiting on a lock, not on JDBC.', { by: 1 }),
      theory(
        'lock',
        'Workers are serialized on the lock around the rate cache refresh',
        'A refresh holds a ReentrantLock while it calls the FX provider.',
        { by: 1 },
      ),
      finding(
        'Thread dump: 190 of 200 pricing-worker threads WAITING on the same ReentrantLock held by a thread in FxClient.fetchRates.',
        { by: 1, refs: ['lock'] },
      ),
      confirm(
        'lock',
        'Cause: lock held across a slow remote call starves the worker pool',
        'Every request needs the rate cache.',
        'All waiting threads name the same lock owner.',
      ),
      decision(
        'Refresh rates in the background and serve the previous rates meanwhile',
        'No lock on the request path.',
        'Requests never wait for the FX provider again.',
      ),
      action(
        'lock-lint',
        'Flag remote calls made while holding a lock in code review',
        'Static check where possible.',
        { by: 1 },
      ),
    ],
  },
  {
    id: 'past-cache-stampede-1',
    mode: 'cache-stampede',
    title: 'catalog-db CPU at 100% at the top of every hour',
    severity: 'SEV2',
    created: '2026-04-29T12:05:00Z',
    commander: 'Tomás Ferreira',
    team: [who.tomas, who.graceAI],
    steps: [
      finding(
        'catalog-db CPU hits 100% for 2-3 minutes at :00 every hour since the deploy at 09:00; category pages time out then.',
      ),
      theory('cron', 'A cron job runs at the top of the hour', 'The timing is so regular.', { by: 0 }),
      rejection(
        'cron',
        'Nothing is scheduled at :00, and the query mix is the category page query, identical to cache fills.',
        'The load is the web tier itself filling the cache, not a batch job.',
        { by: 1 },
      ),
      theory(
        'same-ttl',
        'All category keys expire together and every miss queries catalog-db at once',
        'The deploy warmed the cache at 09:00 with a fixed 3600 s TTL.',
        { by: 1 },
      ),
      finding(
        'Redis keyspace: 48k category keys with TTLs within the same second; at :00 the miss rate goes from 1% to 96% and ' +
          'catalog-db gets 9,000 identical queries.',
        { by: 1, refs: ['same-ttl'] },
      ),
      confirm(
        'same-ttl',
        'Cause: cache stampede when keys set together expire together',
        'A thundering herd of cache fills every hour.',
        'Misses and CPU spikes line up to the second.',
      ),
      decision(
        'Add random jitter to TTLs and coalesce concurrent fills for the same key',
        'TTL 3600 plus up to 600 s; singleflight per key.',
        'Spreads expiry and makes one query per key instead of thousands.',
      ),
      action('early-refresh', 'Refresh hot keys before they expire', 'Probabilistic early recomputation.', {
        by: 1,
      }),
    ],
  },
  {
    id: 'past-cache-stampede-2',
    mode: 'cache-stampede',
    title: 'Pricing page timeouts after a Redis failover',
    severity: 'SEV2',
    created: '2026-09-16T16:40:00Z',
    commander: 'Fatima Noor',
    team: [who.fatima, who.marcusAI],
    steps: [
      finding(
        'After the Redis primary failover at 16:31 the pricing page timed out for 4 minutes; pricing-db logged ' +
          '`canceling statement due to statement timeout` thousands of times.',
        { by: 1 },
      ),
      theory('bigger-db', 'pricing-db is too small for our traffic', 'It fell over.', { by: 0 }),
      rejection(
        'bigger-db',
        'pricing-db handles 3x normal load fine in tests.',
        'Load was 40x normal for 4 minutes while the cache refilled: a herd, not a capacity problem.',
        { by: 1 },
      ),
      theory(
        'cold',
        'The new Redis primary came up with an empty cache and every request went to the database',
        'The replica was resyncing.',
        { by: 1 },
      ),
      finding(
        'Hit ratio dropped to 0% at 16:31 and recovered by 16:35; identical queries per key peaked at 2,000 per second.',
        { by: 1, refs: ['cold'] },
      ),
      confirm(
        'cold',
        'Cause: cold cache after failover caused a stampede on pricing-db',
        'No coalescing of misses.',
        'Load and misses line up exactly.',
      ),
      decision(
        'Serve stale values while revalidating, and coalesce misses per key',
        'Library change in the pricing client.',
        'A cold or expiring cache then sends one query per key.',
      ),
      action('failover-drill', 'Run a Redis failover drill each quarter', 'Verify the fix holds.', { by: 1 }),
      gap(
        'replica-sync',
        'Why was the replica still resyncing when it was promoted?',
        'Sentinel should prefer a synced replica.',
      ),
    ],
  },
  {
    id: 'past-partition-1',
    mode: 'network-partition',
    title: 'Cross-AZ traffic failing and etcd leader elections every few seconds',
    severity: 'SEV1',
    created: '2026-05-27T02:15:00Z',
    commander: 'Hana Sato',
    team: [who.hana, who.jonasAI, who.elena],
    steps: [
      finding(
        'Kubernetes API errors and timeouts; etcd logs about 30 leader elections a minute and ' +
          '`rafthttp: failed to read from peer: i/o timeout`.',
        { by: 1 },
      ),
      theory('etcd-disk', 'etcd disk latency is too high', 'Elections usually mean slow fsync.', { by: 2 }),
      rejection(
        'etcd-disk',
        'fsync p99 3 ms on all members.',
        'Elections follow the BFD down events to the second, not disk latency.',
        { by: 1 },
      ),
      theory(
        'bgp',
        'The BGP session between the core routers and the AZ-b top-of-rack switches is flapping',
        'Network saw alarms.',
        { by: 1 },
      ),
      finding(
        'Router log: `%BGP-5-ADJCHANGE: neighbor 169.254.12.1 Down BFD adjacency down` then Up, 40 times since 02:00; a failing ' +
          'optic on the uplink.',
        { by: 1, refs: ['bgp'] },
      ),
      confirm(
        'bgp',
        'Cause: BGP/BFD flaps on a faulty optic partitioned AZ-b',
        'Each flap cuts AZ-b off for a few seconds.',
        'Flaps and etcd elections match one to one.',
      ),
      decision(
        'Shut the flapping uplink and run AZ-b on its second uplink',
        'Until the optic is replaced.',
        'A stable single path is better than a flapping pair.',
      ),
      action('optic', 'Replace the optic on the uplink', 'Data centre ticket.', { by: 2 }),
      done('optic', 'Replaced, uplink back in service.', { by: 2, after: 300 }),
      action(
        'flap-alert',
        'Alert on BGP session flaps, not only on sessions down',
        'Flaps never reached the alert threshold.',
        { by: 1 },
      ),
    ],
  },
  {
    id: 'past-partition-2',
    mode: 'network-partition',
    title: 'Split brain in the session-store cluster',
    severity: 'SEV1',
    created: '2026-10-20T19:05:00Z',
    commander: 'Elena Petrova',
    team: [who.elena, who.seunAI],
    steps: [
      finding('Users logged out at random after 19:00; session-store has two primaries.'),
      finding(
        'The transit link between dc1 and dc2 was down 18:52-18:58 (provider maintenance overran). Sentinels in dc2 promoted a ' +
          'replica there.',
        { by: 1 },
      ),
      theory('sentinel-bug', 'A Sentinel bug promoted a second primary', 'Should not happen.', { by: 0 }),
      rejection(
        'sentinel-bug',
        'Sentinel did what it was configured to do.',
        'Quorum is 2 of 3 and two sentinels are in dc2, so dc2 alone could elect.',
        { by: 1 },
      ),
      theory(
        'partition',
        'The network partition split the cluster, both sides took writes',
        'dc1 kept its primary.',
        { by: 1 },
      ),
      finding(
        'Both primaries took writes during the partition; after it healed, dc1\u2019s primary was demoted and its writes lost.',
        { by: 1, refs: ['partition'] },
      ),
      confirm(
        'partition',
        'Cause: network partition between data centres caused split brain',
        'Sentinel placement let the minority site elect.',
        'Write logs on both sides show it.',
      ),
      decision(
        'Move one sentinel to a third site',
        'So neither data centre alone has quorum.',
        'A partition then leaves only one side writable.',
      ),
      action(
        'min-replicas',
        'Set min-replicas-to-write on the primary',
        'An isolated primary stops taking writes.',
        { by: 1 },
      ),
    ],
  },
  {
    id: 'past-creds-1',
    mode: 'rotated-credentials',
    title: 'billing-sync failing to upload invoices',
    severity: 'SEV3',
    created: '2026-03-19T09:30:00Z',
    commander: "Liam O'Connor",
    team: [who.liam, who.priyaAI],
    steps: [
      finding(
        'No invoices uploaded since 08:00. billing-sync log: ' +
          '`InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.`',
        { by: 1 },
      ),
      theory('s3', 'An S3 outage in our region', 'Uploads to S3 fail.', { by: 0 }),
      rejection(
        's3',
        'Other services write to the same bucket without errors.',
        'The error names our access key, not the service.',
        { by: 1 },
      ),
      theory(
        'rotation',
        'The security team rotated the IAM user keys and billing-sync still has the old ones',
        'Rotation was scheduled this week.',
        { by: 1 },
      ),
      finding(
        'The key was deactivated at 07:58 by the scheduled rotation; billing-sync reads its keys from environment variables set ' +
          'at deploy time, last deployed in January.',
        { by: 1, refs: ['rotation'] },
      ),
      confirm(
        'rotation',
        'Cause: billing-sync kept using rotated credentials',
        'Static keys baked in at deploy.',
        'The error started two minutes after the deactivation.',
      ),
      decision(
        'Redeploy billing-sync to load the new credentials from the secrets store',
        'Restart picks them up.',
        'Fastest safe fix; no keys handled by hand.',
      ),
      action(
        'irsa',
        'Move billing-sync to an IAM role for its service account instead of static keys',
        'No keys to rotate.',
        { tags: ['owner:billing'] },
      ),
      gap(
        'others',
        'Which other services still use static IAM user keys?',
        'They will break at the next rotation.',
      ),
    ],
  },
  {
    id: 'past-creds-2',
    mode: 'rotated-credentials',
    title: 'Shipping labels failing: carrier API returns 401',
    severity: 'SEV2',
    created: '2026-07-15T07:50:00Z',
    commander: 'Mei Lin',
    team: [who.mei, who.raviAI],
    steps: [
      finding(
        'label-svc cannot create labels since 07:00: the carrier answers `401 Unauthorized {"error":"invalid_api_key"}`.',
        { by: 1 },
      ),
      theory(
        'allowlist',
        'Our egress IP is not on the carrier allowlist after the NAT change',
        'The NAT gateways changed last week.',
        { by: 0 },
      ),
      rejection(
        'allowlist',
        'Same 401 from a laptop with our credentials.',
        'An allowlist would answer 403 forbidden, and the error says invalid_api_key.',
        { by: 1 },
      ),
      theory('forced-rotation', 'The carrier rotated our API key', 'Carriers force rotation yearly.', {
        by: 1,
      }),
      finding(
        'The carrier announced a forced key rotation for today 07:00; the notice went to an unmonitored shared mailbox.',
        { by: 1, refs: ['forced-rotation'] },
      ),
      confirm(
        'forced-rotation',
        'Cause: carrier-forced API key rotation we did not act on',
        'The old key stopped working at 07:00.',
        'The carrier support confirms the old key is revoked.',
      ),
      decision(
        'Generate a new key in the carrier portal and store it in the secrets store',
        'Then restart label-svc.',
        'Only way back; the old key cannot be revived.',
      ),
      action(
        'vendor-contacts',
        'Route vendor security notices to the on-call alias',
        'Not to a shared mailbox.',
        { by: 0 },
      ),
      done('vendor-contacts', 'Updated for all 23 vendors.', { after: 900 }),
      action('expiry-calendar', 'Keep a calendar of third-party credential expiry dates', 'With reminders.', {
        by: 1,
      }),
    ],
  },
  {
    id: 'past-creds-3',
    mode: 'rotated-credentials',
    title: 'Warehouse loads failing after an hour',
    severity: 'SEV4',
    created: '2026-11-18T04:30:00Z',
    commander: 'Kenji Watanabe',
    team: [who.kenji, who.elenaAI],
    steps: [
      finding(
        'The nightly warehouse-loader fails about an hour into each run: ' +
          '`ExpiredToken: The security token included in the request is expired`.',
        { by: 1 },
      ),
      theory('policy', 'An IAM policy change removed s3:PutObject', 'Policies were cleaned up this week.', {
        by: 0,
      }),
      rejection(
        'policy',
        'The first hour of each run uploads fine.',
        'A missing permission would fail at once and say AccessDenied; this says ExpiredToken.',
        { by: 1 },
      ),
      theory(
        'session',
        'The assumed-role session expires before the job finishes',
        'The job got longer as data grew.',
        { by: 1 },
      ),
      finding('warehouse-loader assumes its role once at start with a 1 h session; runs now take 3 h.', {
        by: 1,
        refs: ['session'],
      }),
      confirm(
        'session',
        'Cause: temporary credentials expire mid-run',
        'Credentials are never refreshed.',
        'Failures start exactly 60 minutes after the job starts.',
      ),
      decision(
        'Use a credential provider that refreshes the session',
        'SDK default chain instead of a one-off assume-role.',
        'Refreshes before expiry whatever the job length.',
      ),
      action(
        'long-jobs',
        'Check other jobs over an hour for one-off assume-role calls',
        'Same pattern likely.',
        { by: 1 },
      ),
    ],
  },
  {
    id: 'past-cron-double-1',
    mode: 'cron-double-run',
    title: 'Customers charged twice for their subscription renewal',
    severity: 'SEV1',
    created: '2026-04-02T06:10:00Z',
    commander: 'Sofía García',
    team: [who.sofia, who.kenjiAI, who.aisha],
    steps: [
      finding(
        'Support: many customers charged twice overnight for renewal. 8,112 duplicate charges between 02:00 and 02:03.',
      ),
      finding(
        'Two Jobs for the same schedule: subscription-renewer-29071200 created twice, 40 s apart, after the CronJob controller ' +
          'restarted at 02:00.',
        { by: 1 },
      ),
      theory('webhook', 'The payment provider retried and charged twice', 'Provider retries happen.', {
        by: 2,
      }),
      rejection(
        'webhook',
        'The provider shows two distinct charge requests from us, 40 s apart, with different request ids.',
        'The duplicates originate on our side.',
        { by: 1 },
      ),
      theory(
        'double-run',
        'The cron job ran twice and charges have no idempotency key',
        'concurrencyPolicy is Allow.',
        { by: 1 },
      ),
      finding(
        'CronJob subscription-renewer has concurrencyPolicy: Allow and startingDeadlineSeconds unset; the charge call sends no ' +
          'idempotency key.',
        { by: 1, refs: ['double-run'] },
      ),
      confirm(
        'double-run',
        'Cause: cron double run with non-idempotent charges',
        'The controller restart re-created the missed schedule.',
        'Two Jobs, same schedule, two charges each.',
      ),
      decision(
        'Set concurrencyPolicy: Forbid and refund the duplicates',
        'Refund script run by payments.',
        'Stops a repeat tonight; customers get their money back today.',
      ),
      action(
        'idempotency',
        'Send an idempotency key with every charge request',
        'Key on subscription and period.',
        { tags: ['owner:payments'] },
      ),
      action('refund', 'Refund all 8,112 duplicate charges', 'Script reviewed by two people.', { by: 2 }),
      done('refund', 'All refunds issued and confirmed.', { by: 2, after: 240 }),
    ],
  },
  {
    id: 'past-cron-double-2',
    mode: 'cron-double-run',
    title: 'Duplicate weekly digest emails',
    severity: 'SEV4',
    created: '2026-08-27T08:00:00Z',
    commander: 'Aisha Bello',
    team: [who.aisha, who.tomasAI],
    steps: [
      finding('Users got the weekly digest twice this morning, a few seconds apart.'),
      theory('provider-dup', 'The email provider sent duplicates', 'Providers sometimes retry.', { by: 0 }),
      rejection(
        'provider-dup',
        'Provider logs show two API calls with distinct message ids, from two pod IPs.',
        'We sent it twice; the provider did not duplicate anything.',
        { by: 1 },
      ),
      theory(
        'two-leaders',
        'Both digest-scheduler replicas ran the weekly job',
        'It was scaled to two replicas last week.',
        { by: 1 },
      ),
      finding(
        'Since the refactor in 3.2, digest-scheduler no longer takes the leader election lease; both replicas think they are ' +
          'leader and run every schedule.',
        { by: 1, refs: ['two-leaders'] },
      ),
      confirm(
        'two-leaders',
        'Cause: scheduled job ran on both replicas without leader election',
        'The lease code was dropped in the refactor.',
        'Both pod IPs sent one copy each.',
      ),
      decision(
        'Scale digest-scheduler to one replica until the lease is restored',
        'Immediate.',
        'Simplest way to guarantee one run this week.',
      ),
      action(
        'lease',
        'Restore leader election in digest-scheduler with a test that runs two replicas',
        'Regression test.',
        { by: 1 },
      ),
      action('dedupe', 'Record sent digests per user and week and skip repeats', 'Belt and braces.', {
        by: 1,
      }),
    ],
  },
  {
    id: 'past-migration-lock-1',
    mode: 'migration-lock',
    title: 'Orders API timeouts during the afternoon deploy',
    severity: 'SEV2',
    created: '2026-05-12T15:20:00Z',
    commander: 'Marcus Johnson',
    team: [who.marcus, who.meiAI],
    steps: [
      finding(
        'During the 15:10 deploy every orders-api request touching the orders table hung; app logs ' +
          '`ERROR: canceling statement due to statement timeout`.',
        { by: 1 },
      ),
      theory('slow-code', 'The new release has a slow query', 'It shipped with the deploy.', { by: 0 }),
      rejection(
        'slow-code',
        'The old pods hang too.',
        'pg_locks shows 900 sessions waiting on relation orders behind one lock request; code version does not matter.',
        { by: 1 },
      ),
      theory(
        'ddl',
        'The deploy migration waits for an AccessExclusiveLock on orders and everything queues behind it',
        'The migration adds a column.',
        { by: 1 },
      ),
      finding(
        'pid 4412 (`ALTER TABLE orders ADD COLUMN ...`) waits for AccessExclusiveLock behind pid 3981, a 40-minute report ' +
          'query; every later query on orders waits behind 4412.',
        {
          by: 1,
          refs: ['ddl'],
          evidence: [
            {
              label: 'blocking tree',
              query:
                'select pid, pg_blocking_pids(pid), wait_event_type, left(query, 80) from pg_stat_activity',
            },
          ],
        },
      ),
      confirm(
        'ddl',
        'Cause: migration lock queue on the orders table',
        'The ALTER waits behind a long query and blocks all others meanwhile.',
        'Cancelling pid 4412 releases the queue at once.',
      ),
      decision(
        'Cancel the migration and rerun it with lock_timeout = 3s and retries',
        'Retry off-peak.',
        'A migration must give up rather than block the table.',
      ),
      action('squawk', 'Lint migrations in CI for locking operations', 'squawk on every migration.', {
        by: 1,
      }),
      action('timeout-default', 'Set lock_timeout in the migration runner by default', 'Not per migration.', {
        by: 1,
      }),
      done('timeout-default', 'Runner now sets lock_timeout 3s.', { by: 1, after: 300 }),
    ],
  },
  {
    id: 'past-migration-lock-2',
    mode: 'migration-lock',
    title: 'Checkout down for 7 minutes during the release',
    severity: 'SEV1',
    created: '2026-10-01T10:35:00Z',
    commander: 'Grace Mensah',
    team: [who.grace, who.dmitriAI],
    steps: [
      finding('Checkout failed 10:22-10:29; payments-api writes stalled.'),
      finding(
        'payments-db log: `process 12345 still waiting for ShareLock on relation 16402 of database 16384 after 1000.123 ms`; ' +
          'the statement is `CREATE INDEX payments_created_idx ON payments (created_at)`.',
        { by: 1 },
      ),
      theory(
        'conn-exhaustion',
        'payments-db ran out of connections',
        'Payments errors, same database as in January.',
        { by: 0 },
      ),
      rejection(
        'conn-exhaustion',
        'Connections at 180 of 500; sessions are active and waiting on a lock.',
        'Nobody was refused a connection; they were blocked by the index build.',
        { by: 1 },
      ),
      theory(
        'index',
        'A CREATE INDEX without CONCURRENTLY blocked writes to payments',
        'The release included a new index.',
        { by: 1 },
      ),
      finding(
        'The migration built payments_created_idx without CONCURRENTLY on a 90M-row table: writes blocked for the whole build.',
        { by: 1, refs: ['index'] },
      ),
      confirm(
        'index',
        'Cause: blocking index build in a release migration',
        'A plain CREATE INDEX holds a lock that blocks writes.',
        'Writes resume the moment the build ends.',
      ),
      decision(
        'Require CREATE INDEX CONCURRENTLY for tables over 1M rows',
        'Review rule, then lint.',
        'Concurrent builds do not block writes.',
      ),
      action(
        'lint-2',
        'Extend the migration linter to reject non-concurrent index builds',
        'Same linter as the May incident asked for.',
        { by: 1 },
      ),
      gap('staging', 'Why did staging not show the stall?', 'Its payments table has 40k rows.'),
    ],
  },
  {
    id: 'past-replica-lag-1',
    mode: 'replica-lag',
    title: 'Users see their old balance after a top-up',
    severity: 'SEV2',
    created: '2026-06-03T12:00:00Z',
    commander: 'Priya Raman',
    team: [who.priya, who.seunAI],
    steps: [
      finding('Wallet top-ups succeed but the app shows the old balance for up to 15 minutes.'),
      theory('cache', 'The balance cache is serving stale values', 'wallet-api caches balances.', { by: 1 }),
      rejection(
        'cache',
        'Cache TTL is 30 s, and reading the replica directly shows the old value.',
        'The stale value comes from the database replica, not the cache.',
        { by: 1 },
      ),
      theory(
        'replica',
        'payments-db-replica is far behind the primary',
        'wallet-api reads balances from the replica.',
        { by: 1 },
      ),
      finding(
        'On payments-db-replica, now() - pg_last_xact_replay_timestamp() is 14 minutes; replay is paused behind a long ' +
          'analytics query with max_standby_streaming_delay = -1.',
        { by: 1, refs: ['replica'] },
      ),
      confirm(
        'replica',
        'Cause: replica lag on payments-db-replica from a long query blocking replay',
        'With delay -1 replay waits for the query forever.',
        'Cancelling the query lets replay catch up in seconds.',
      ),
      decision(
        'Set max_standby_streaming_delay to 30 s and read balances from the primary after a write',
        'Both today.',
        'Replay can no longer wait behind a query, and the user sees their own write.',
      ),
      action('lag-alert-replica', 'Alert on replica replay lag over 60 s', 'All read replicas.', { by: 1 }),
    ],
  },
  {
    id: 'past-replica-lag-2',
    mode: 'replica-lag',
    title: 'Order status page shows "processing" for delivered orders',
    severity: 'SEV3',
    created: '2026-11-25T16:30:00Z',
    commander: 'Fatima Noor',
    team: [who.fatima, who.liamAI],
    steps: [
      finding('The order status page lags reality by about 40 minutes.'),
      theory('consumer', 'The order-status consumer is stuck', 'Status comes from events.', { by: 0 }),
      rejection(
        'consumer',
        'The primary has the right status for the orders checked.',
        'The status page reads the replica, which is behind; events were processed.',
        { by: 1 },
      ),
      theory(
        'backfill-wal',
        'A backfill produced so much WAL that the replica cannot keep up',
        'A 30M-row UPDATE started at 15:40.',
        { by: 1 },
      ),
      finding(
        'pg_stat_replication on orders-db: replay_lag 00:41:12 for orders-db-replica; its disk is at 100% IO utilisation ' +
          'replaying the backfill.',
        { by: 1, refs: ['backfill-wal'] },
      ),
      confirm(
        'backfill-wal',
        'Cause: replica lag from a huge backfill UPDATE',
        'WAL volume beyond what the replica disk can replay.',
        'Lag grows from the backfill start and shrinks when it is paused.',
      ),
      decision(
        'Pause the backfill and resume it in batches of 50k rows with pauses',
        'Throttled backfill.',
        'Keeps replica lag under a minute.',
      ),
      action(
        'backfill-guide',
        'Document throttled backfills in the database runbook',
        'With a lag check between batches.',
        { by: 1 },
      ),
    ],
  },
  {
    id: 'past-keepalive-1',
    mode: 'keepalive-race',
    title: 'Sporadic 502s from the ingress on account-api',
    severity: 'SEV3',
    created: '2026-01-28T11:15:00Z',
    commander: 'Hana Sato',
    team: [who.hana, who.raviAI],
    steps: [
      finding('0.3% of account-api requests return 502 from the nginx ingress, spread evenly over the day.'),
      finding(
        'Ingress log: `upstream prematurely closed connection while reading response header from upstream`.',
        { by: 1 },
      ),
      theory('crash', 'account-api pods are crashing', '502 usually means a dead backend.', { by: 0 }),
      rejection(
        'crash',
        'Zero restarts and no errors in account-api logs.',
        'The backend is healthy; the 502s are on reused connections.',
        { by: 1 },
      ),
      theory(
        'keepalive',
        'account-api closes idle keep-alive connections before nginx does',
        'Node defaults keepAliveTimeout to 5 s.',
        { by: 1 },
      ),
      finding(
        'account-api keepAliveTimeout is 5 s; the ingress keeps upstream connections idle up to 60 s. Failing requests all went ' +
          'out on a connection idle 5 s or more.',
        { by: 1, refs: ['keepalive'] },
      ),
      confirm(
        'keepalive',
        'Cause: upstream keep-alive timeout shorter than the proxy\u2019s',
        'nginx reuses a connection the server is closing.',
        'Timings of every failing request match.',
      ),
      decision(
        'Set account-api keepAliveTimeout to 65 s and headersTimeout to 66 s',
        'Longer than the ingress idle timeout.',
        'The proxy then always closes first.',
      ),
      action(
        'template',
        'Put the keep-alive settings into the Node service template',
        'Every new service inherits them.',
        { by: 1 },
      ),
    ],
  },
  {
    id: 'past-keepalive-2',
    mode: 'keepalive-race',
    title: 'Load balancer 502s on profile-svc after the rewrite in Go',
    severity: 'SEV3',
    created: '2026-07-01T13:00:00Z',
    commander: 'Jonas Weber',
    team: [who.jonas, who.seunAI],
    steps: [
      finding('profile-svc has a steady 0.2% of 502 responses since the Go rewrite went live.'),
      finding(
        'Load balancer access logs: elb_status_code 502 with target_status_code "-" and target processing time -1 on those requests.',
        { by: 1 },
      ),
      theory('panic', 'The new Go service panics on some requests', 'New code.', { by: 0 }),
      rejection(
        'panic',
        'No panics and no 5xx logged by profile-svc.',
        'The requests never reached a handler; the load balancer got a reset on a reused connection.',
        { by: 1 },
      ),
      theory(
        'idle',
        'The Go server IdleTimeout is shorter than the load balancer idle timeout',
        'http.Server IdleTimeout was set to 30 s.',
        { by: 1 },
      ),
      finding('IdleTimeout 30 s in profile-svc; the load balancer idle timeout is 60 s.', {
        by: 1,
        refs: ['idle'],
      }),
      confirm(
        'idle',
        'Cause: server idle timeout shorter than the load balancer\u2019s',
        'The server closes connections the balancer still reuses.',
        'Raising it in canary drops the 502s to zero.',
      ),
      decision(
        'Set IdleTimeout to 75 s on profile-svc',
        'Config change.',
        'The load balancer then always closes idle connections first.',
      ),
    ],
  },
  // Distractors: one-off incidents sharing only generic words (latency, deploy, errors) with the rest.
  {
    id: 'past-distractor-autocomplete',
    mode: null,
    title: 'Elevated latency on autocomplete-svc after deploy',
    severity: 'SEV3',
    created: '2026-03-02T10:30:00Z',
    commander: "Liam O'Connor",
    team: [who.liam, who.tomasAI],
    steps: [
      finding(
        'autocomplete-svc p99 latency up from 30 ms to 900 ms after the morning deploy; errors also up slightly.',
      ),
      theory('db-calls', 'The deploy added database calls per keystroke', 'It shipped a ranking change.', {
        by: 1,
      }),
      rejection(
        'db-calls',
        'Query counts per request are unchanged.',
        'The time is spent in CPU inside the query parser, not waiting on anything.',
        { by: 1 },
      ),
      theory(
        'regex',
        'A new regular expression in the query parser backtracks on some inputs',
        'CPU profiles point at the parser.',
        { by: 1 },
      ),
      finding('Profile: 85% of CPU in one regex matching inputs with many repeated hyphens.', {
        by: 1,
        refs: ['regex'],
      }),
      confirm(
        'regex',
        'Cause: catastrophic regex backtracking in the new parser',
        'Some inputs take seconds.',
        'Replacing the regex fixes the latency.',
      ),
      decision(
        'Roll back the deploy and rewrite the parser rule without nested quantifiers',
        'Rollback first.',
        'Latency back to normal now.',
      ),
    ],
  },
  {
    id: 'past-distractor-bff-npe',
    mode: null,
    title: 'Increased 5xx errors on mobile-bff after deploy',
    severity: 'SEV3',
    created: '2026-05-07T15:00:00Z',
    commander: 'Mei Lin',
    team: [who.mei, who.aishaAI],
    steps: [
      finding('mobile-bff error rate up from 0.1% to 4% right after the 14:50 deploy.'),
      finding(
        'Errors: `NullPointerException at ProfileSerializer.avatarUrl` for accounts without an avatar.',
        { by: 1 },
      ),
      theory(
        'serializer',
        'The new serializer assumes every account has an avatar',
        'Only some users hit it.',
        { by: 1 },
      ),
      confirm(
        'serializer',
        'Cause: null avatar not handled in the new serializer',
        'Accounts without an avatar fail.',
        'Every error is for such an account.',
      ),
      decision('Roll back mobile-bff', 'Previous version.', 'Errors stop; fix forward with a test.'),
      action(
        'contract-test',
        'Add serializer tests for accounts with missing optional fields',
        'Contract tests.',
        { by: 1 },
      ),
    ],
  },
  {
    id: 'past-distractor-flash-sale',
    mode: null,
    title: 'Checkout latency spike during the flash sale',
    severity: 'SEV2',
    created: '2026-06-18T18:00:00Z',
    commander: 'Dmitri Volkov',
    team: [who.dmitri, who.graceAI],
    steps: [
      finding('Checkout latency p95 at 4 s during the flash sale; some timeouts and errors.'),
      theory('bug', 'A bug in the sale pricing code', 'New code for the sale.', { by: 1 }),
      rejection(
        'bug',
        'Per-request CPU time is unchanged.',
        'The requests are queueing, not slower to serve.',
        { by: 1 },
      ),
      theory('capacity', 'checkout-web hit its autoscaling ceiling', 'Traffic is 6x normal.', { by: 1 }),
      finding('checkout-web at its maximum of 40 replicas since 17:52; CPU 95% on all of them.', {
        by: 1,
        refs: ['capacity'],
      }),
      confirm(
        'capacity',
        'Cause: autoscaling maximum too low for sale traffic',
        'Planned traffic was underestimated.',
        'Raising the maximum clears the queueing.',
      ),
      decision(
        'Raise the checkout-web maximum to 120 replicas',
        'Now.',
        'Headroom for the rest of the sale.',
      ),
      action('capacity-plan', 'Load test before every planned sale', 'With marketing traffic estimates.', {
        by: 1,
      }),
    ],
  },
  {
    id: 'past-distractor-artifacts',
    mode: null,
    title: 'Deploy pipeline blocked: releases failing at the artifact step',
    severity: 'SEV3',
    created: '2026-08-10T09:45:00Z',
    commander: 'Ravi Kulkarni',
    team: [who.ravi, who.jonasAI],
    steps: [
      finding(
        'Every deploy since 09:00 fails fetching build artifacts: ' +
          '`InvalidObjectState: The operation is not valid for the object\u2019s storage class`.',
        { by: 1 },
      ),
      theory('ci-runner', 'The CI runners are broken after their image update', 'Runners were updated.', {
        by: 0,
      }),
      rejection(
        'ci-runner',
        'The same error from a laptop.',
        'The objects themselves cannot be read; the runner is not involved.',
        { by: 1 },
      ),
      theory(
        'lifecycle',
        'A lifecycle rule moved artifacts to archive storage',
        'Storage costs were cut last week.',
        { by: 1 },
      ),
      finding(
        'A new lifecycle rule archives objects older than 7 days; the release pipeline reuses base artifacts built 10 days ago.',
        { by: 1, refs: ['lifecycle'] },
      ),
      confirm(
        'lifecycle',
        'Cause: lifecycle rule archived artifacts the pipeline still reads',
        'Archived objects cannot be fetched directly.',
        'Restoring one object makes that deploy pass.',
      ),
      decision(
        'Exclude the artifacts/base/ prefix from the lifecycle rule',
        'And restore the archived ones.',
        'Deploys unblocked within the hour.',
      ),
    ],
  },
  {
    id: 'past-distractor-report-tz',
    mode: null,
    title: 'Errors in the daily revenue report: totals off by one day',
    severity: 'SEV4',
    created: '2026-09-03T09:00:00Z',
    commander: 'Tomás Ferreira',
    team: [who.tomas, who.hanaAI],
    steps: [
      finding(
        'The daily revenue report attributes late-evening orders to the next day since the report rewrite.',
      ),
      theory('ingest', 'Orders are ingested late', 'Maybe the pipeline is slow.', { by: 1 }),
      rejection(
        'ingest',
        'Orders arrive within seconds.',
        'The rows are on time; the grouping puts them on the wrong date.',
        { by: 1 },
      ),
      theory(
        'timezone',
        'The new report groups by UTC date instead of the business time zone',
        'The rewrite changed the date function.',
        { by: 1 },
      ),
      finding(
        "The rewritten query uses date_trunc('day', created_at) on UTC timestamps; the old one converted to the business time zone first.",
        { by: 1, refs: ['timezone'] },
      ),
      confirm(
        'timezone',
        'Cause: report grouped by UTC day',
        'Orders after 23:00 local land on the next UTC day.',
        'Converting first makes the totals match finance.',
      ),
      decision(
        'Convert to the business time zone before grouping and rebuild last month',
        'Report fix plus backfill.',
        'Finance needs correct monthly totals.',
      ),
    ],
  },
  {
    id: 'past-distractor-gc',
    mode: null,
    title: 'Latency regression in recommendations after the JVM upgrade',
    severity: 'SEV4',
    created: '2026-10-09T14:00:00Z',
    commander: 'Sofía García',
    team: [who.sofia, who.marcusAI],
    steps: [
      finding(
        'recommendations-api p99 latency up from 120 ms to 350 ms since the JVM upgrade deploy; no errors.',
      ),
      theory('model', 'The new recommendation model is slower', 'A model also shipped this week.', { by: 1 }),
      rejection(
        'model',
        'Model inference time is unchanged in the traces.',
        'The extra time is spread across all spans, like pauses.',
        { by: 1 },
      ),
      theory(
        'gc-defaults',
        'The new JVM picked a different garbage collector with longer pauses for our heap',
        'Defaults change between versions.',
        { by: 1 },
      ),
      finding(
        'GC logs: pauses of 150-200 ms every few seconds; the heap is undersized for the collector now chosen.',
        { by: 1, refs: ['gc-defaults'] },
      ),
      confirm(
        'gc-defaults',
        'Cause: collector defaults changed with the JVM upgrade',
        'Pauses add to tail latency.',
        'Pinning the old collector restores the p99.',
      ),
      decision(
        'Pin the collector and heap size explicitly',
        'In the service JVM options.',
        'Upgrades must not change GC behaviour silently.',
      ),
    ],
  },
];
