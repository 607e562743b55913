// New incidents of the second blind set (written 2026-12-06 for issue 25's last recall target,
// before any ranking change was tried with them in view): the first findings of new incidents of
// the failure modes the past already holds (pastA, pastB, pastC), told as other responders would
// tell them (pager shorthand, chat paste, long-winded notes), with the error strings and service
// names real incidents would share where they would share them; and new incidents of failure modes
// no past incident saw, sharing only ordinary incident words with the past. No past incidents of
// their own: they ask the existing past.
import type { NewSpec } from './build.js';
import * as who from './people.js';

export const blind2Related: NewSpec[] = [
  {
    id: 'blind2-cert-expiry',
    mode: 'cert-expiry',
    title: 'Partner webhooks all failing since midnight',
    severity: 'SEV2',
    by: who.raviAI,
    findings: [
      'webhook-dispatcher: every delivery to partners fails since 00:00 UTC, retries piling up.',
      "Outbound proxy log: `x509: certificate has expired or is not yet valid` for the proxy's own " +
        'client cert; it was issued a year ago today.',
    ],
  },
  {
    id: 'blind2-pg-conn',
    mode: 'pg-too-many-clients',
    title: 'Signup 500s after scaling the web tier',
    severity: 'SEV2',
    by: who.sofiaAI,
    findings: [
      'We went from 12 to 40 web pods for the campaign; within minutes signups started returning 500.',
      'accounts-db log: `FATAL: sorry, too many clients already`; max_connections is 200 and each pod opens 10.',
    ],
  },
  {
    id: 'blind2-dns',
    mode: 'dns-resolution',
    title: 'Random "host not found" from workers talking to the queue',
    severity: 'SEV3',
    by: who.dmitriAI,
    findings: [
      'billing-worker intermittently logs `getaddrinfo ENOTFOUND rabbitmq.prod.internal`, a few hundred times an hour.',
      'Same name resolves fine from a debug pod most of the time; failures line up with the node-local cache pods restarting.',
    ],
  },
  {
    id: 'blind2-oom',
    mode: 'oom-kill',
    title: 'pdf-renderer pods keep restarting with exit code 137',
    severity: 'SEV3',
    by: who.graceAI,
    findings: [
      'pdf-renderer restarts ~30 times/hour; last state Terminated, reason OOMKilled, exit code 137.',
      'Memory climbs to the 1Gi limit on big statements (500+ pages) and the container gets killed.',
    ],
  },
  {
    id: 'blind2-disk-full',
    mode: 'disk-full',
    title: 'Metrics stopped arriving from the batch hosts',
    severity: 'SEV3',
    by: who.tomasAI,
    findings: [
      'batch-07 and batch-09 stopped reporting at 03:10; sshd still works.',
      'The agent log says `write /var/lib/agent/buffer: no space left on device`; / is at 100%, mostly core dumps.',
    ],
  },
  {
    id: 'blind2-kafka-lag',
    mode: 'kafka-consumer-lag',
    title: 'Loyalty points showing up hours late',
    severity: 'SEV3',
    by: who.meiAI,
    findings: [
      'Points for purchases made this morning still not credited; the points-consumer group is 2.1M ' +
        'messages behind on the purchases topic.',
      'Only 3 of its 12 partitions are moving; the other consumers keep rebalancing every couple of minutes.',
    ],
  },
  {
    id: 'blind2-ratelimit',
    mode: 'third-party-rate-limit',
    title: 'Geocoding fails for new store addresses',
    severity: 'SEV4',
    by: who.jonasAI,
    findings: [
      'store-onboarding cannot geocode addresses since the bulk import started: the maps provider answers `429 Too Many Requests`.',
      'The import sends ~80 requests/s; our plan allows 50/s per key.',
    ],
  },
  {
    id: 'blind2-flag',
    mode: 'bad-feature-flag',
    title: 'Free shipping applied to every order',
    severity: 'SEV2',
    by: who.hanaAI,
    findings: [
      'Since 14:20 every order gets shipping at 0, not only those over the threshold.',
      'Someone turned on `shipping.promo_v2` for 100% in the toggle console at 14:18; it was meant for the staff segment only.',
    ],
  },
  {
    id: 'blind2-clock-skew',
    mode: 'clock-skew',
    title: 'Some API calls rejected with "token not active"',
    severity: 'SEV3',
    by: who.fatimaAI,
    findings: [
      'About 5% of internal calls to inventory-api are refused with 401, always from the same two hosts.',
      'Those hosts are 95 s ahead of the rest: chronyd was not running after the image rebuild.',
    ],
  },
  {
    id: 'blind2-tls-handshake',
    mode: 'tls-handshake',
    title: 'Old Android app versions cannot log in',
    severity: 'SEV3',
    by: who.aishaAI,
    findings: [
      'Users on app versions from Android 6 devices get "connection failed" on login since the edge proxy upgrade.',
      'Edge log: `tls: client offered only unsupported versions: [301 302]`; the new proxy defaults ' +
        'to 1.2 minimum with a shorter cipher list.',
    ],
  },
  {
    id: 'blind2-thread-pool',
    mode: 'thread-pool-exhaustion',
    title: 'catalog-api freezing under a normal Monday load',
    severity: 'SEV2',
    by: who.liamAI,
    findings: [
      'catalog-api stops answering for minutes at a time; CPU near zero while it hangs.',
      'A thread dump shows all 200 Tomcat request workers parked waiting on a slow call to the reviews service, which has no timeout.',
    ],
  },
  {
    id: 'blind2-cache-stampede',
    mode: 'cache-stampede',
    title: 'Database melts after the Memcached restart',
    severity: 'SEV2',
    by: who.marcusAI,
    findings: [
      'Right after the memcached nodes were restarted for patching, product-db hit 100% and queries queued for seconds.',
      'Thousands of identical product lookups hit the database at once: every app server missed the ' +
        'same cold keys and rebuilt them in parallel.',
    ],
  },
  {
    id: 'blind2-partition',
    mode: 'network-partition',
    title: 'Two primaries in the Redis cluster after the switch reboot',
    severity: 'SEV2',
    by: who.kenjiAI,
    findings: [
      'A top-of-rack switch in rack B rebooted; for 4 minutes its hosts could not reach the other racks.',
      'The sentinels on each side elected their own master; writes went to both and now disagree.',
    ],
  },
  {
    id: 'blind2-creds',
    mode: 'rotated-credentials',
    title: 'Payment refunds failing with auth errors',
    severity: 'SEV2',
    by: who.priyaAI,
    findings: [
      'refund-worker gets `401 Unauthorized {"error":"invalid_api_key"}` from the payment provider on every call since 10:00.',
      'Security rotated the provider keys this morning; the worker still reads the old one from its mounted secret.',
    ],
  },
  {
    id: 'blind2-cron-double',
    mode: 'cron-double-run',
    title: 'Payroll export ran twice',
    severity: 'SEV2',
    by: who.elenaAI,
    findings: [
      'Two identical payroll files were sent to the bank at 02:00 and 02:00:03.',
      'The export job is scheduled on both the old and the new scheduler host since the migration last week.',
    ],
  },
  {
    id: 'blind2-migration-lock',
    mode: 'migration-lock',
    title: 'All writes to users blocked during deploy',
    severity: 'SEV2',
    by: who.seunAI,
    findings: [
      'During the 15:00 deploy, every write to the users table hung for 4 minutes; reads were fine.',
      "`pg_stat_activity` showed the migration's `ALTER TABLE users ADD COLUMN ...` waiting behind " +
        'a long report query, and everything else queued behind it.',
    ],
  },
  {
    id: 'blind2-replica-lag',
    mode: 'replica-lag',
    title: 'Edited profiles revert to the old version for a while',
    severity: 'SEV3',
    by: who.raviAI,
    findings: [
      'After saving a profile, users see the previous version for up to a minute.',
      'Profile reads go to the read replicas; replay on them is 40 to 70 s behind the primary since the nightly batch started.',
    ],
  },
  {
    id: 'blind2-keepalive',
    mode: 'keepalive-race',
    title: 'Rare 502s between the ALB and cart-svc',
    severity: 'SEV4',
    by: who.dmitriAI,
    findings: [
      "About 0.05% of requests to cart-svc get a 502 from the load balancer; no errors in cart-svc's own logs.",
      'cart-svc closes idle connections after 30 s; the load balancer keeps them for 60 s.',
    ],
  },
  {
    id: 'blind2-fd-exhaustion',
    mode: 'fd-exhaustion',
    title: 'Log collector dropping lines on the busiest hosts',
    severity: 'SEV3',
    by: who.hanaAI,
    findings: [
      'log-collector on the 8 busiest hosts stops tailing new files after a few hours.',
      'It logs `EMFILE: too many open files, watch`; ulimit -n for the process is 1024 and it holds a handle per rotated file.',
    ],
  },
  {
    id: 'blind2-id-overflow',
    mode: 'id-overflow',
    title: 'Audit events rejected by the database',
    severity: 'SEV2',
    by: who.tomasAI,
    findings: [
      'audit-writer fails every insert since 09:40 with `ERROR: integer out of range`.',
      'The audit_events id column is int4 and the last id handed out was 2147483647.',
    ],
  },
  {
    id: 'blind2-gc-pause',
    mode: 'gc-pause',
    title: 'Order book service freezes for seconds under load',
    severity: 'SEV2',
    by: who.graceAI,
    findings: [
      'matching-engine stalls for 3 to 9 s a few times an hour; clients time out all at once.',
      'GC logs show stop-the-world pauses of the same length; the old generation is nearly full before each one.',
    ],
  },
  {
    id: 'blind2-cpu-throttling',
    mode: 'cpu-throttling',
    title: 'Token service slow while the node is mostly idle',
    severity: 'SEV3',
    by: who.jonasAI,
    findings: [
      'token-svc p99 is 400 ms (usually 40) but node CPU is at 20%.',
      '`container_cpu_cfs_throttled_periods_total` climbs fast for token-svc; its limit is 500m and it runs 16 threads.',
    ],
  },
  {
    id: 'blind2-mtu',
    mode: 'mtu-blackhole',
    title: 'SFTP transfers to a supplier hang after the new tunnel',
    severity: 'SEV3',
    by: who.sofiaAI,
    findings: [
      'Since the IPsec tunnel to the supplier was replaced, SFTP logins work but file transfers hang at 0%.',
      'Full-size packets never arrive on their side; with the interface MTU at 1400 on our gateway transfers complete.',
    ],
  },
  {
    id: 'blind2-schema',
    mode: 'schema-incompat',
    title: 'Inventory sync consumer crashing on new messages',
    severity: 'SEV2',
    by: who.meiAI,
    findings: [
      'inventory-sync crashes on every message produced since warehouse-svc 7.0 went out.',
      'Stack trace: `org.apache.avro.AvroTypeException: Found long, expecting string` on the sku field, which 7.0 changed type.',
    ],
  },
  {
    id: 'blind2-permission',
    mode: 'missing-permission',
    title: 'Data export job cannot read from the warehouse bucket',
    severity: 'SEV3',
    by: who.marcusAI,
    findings: [
      'export-job fails with `403 Forbidden: export-sa does not have storage.objects.list access` on the analytics bucket.',
      "The project's IAM bindings were cleaned up on Friday and the export service account's viewer role went with them.",
    ],
  },
];

export const blind2Unrelated: NewSpec[] = [
  {
    id: 'blind2-unrelated-currency',
    mode: null,
    title: 'Prices shown in the wrong currency for Swiss visitors',
    severity: 'SEV3',
    by: who.aishaAI,
    findings: [
      "Visitors from Switzerland see prices in euros since this morning's release.",
      'The country-to-currency table in the new release lacks CH, so it falls back to the default region.',
    ],
  },
  {
    id: 'blind2-unrelated-captcha',
    mode: null,
    title: 'Signups blocked by the captcha widget',
    severity: 'SEV2',
    by: who.liamAI,
    findings: [
      'The signup form shows a spinner forever; the captcha script is blocked by our new content security policy.',
      "The CSP header deployed at 11:00 does not list the captcha vendor's domain in script-src.",
    ],
  },
  {
    id: 'blind2-unrelated-pagination',
    mode: null,
    title: 'Order history shows the same orders on every page',
    severity: 'SEV4',
    by: who.kenjiAI,
    findings: [
      'Paging through order history repeats the first 20 orders on every page after the deploy.',
      'The new query sorts by created date only and the offset parameter is ignored by the client.',
    ],
  },
  {
    id: 'blind2-unrelated-email-template',
    mode: null,
    title: 'Password reset emails have a broken link',
    severity: 'SEV3',
    by: who.priyaAI,
    findings: [
      'Users click the link in password reset emails and land on a 404 page.',
      'The template still builds the link with the old /account/reset path that the frontend routes removed last week.',
    ],
  },
  {
    id: 'blind2-unrelated-timezone-banner',
    mode: null,
    title: 'Maintenance banner shown a day early',
    severity: 'SEV4',
    by: who.fatimaAI,
    findings: [
      'The maintenance banner for Saturday appeared on Friday for users in Asia.',
      "The banner compares the maintenance date with the server's local date instead of the user's.",
    ],
  },
  {
    id: 'blind2-unrelated-image-crop',
    mode: null,
    title: 'Product photos cropped badly on mobile',
    severity: 'SEV4',
    by: who.elenaAI,
    findings: [
      'Product photos on the mobile site cut off the top third since the release.',
      'The new CSS sets object-fit to cover with the focus at the center for every image.',
    ],
  },
];
