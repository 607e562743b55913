// Near-misses for the sanitizer's corpus: incident text busy with infra data that is neither
// secret nor private (IPs, hostnames, ULIDs, UUIDs, versions, timestamps, durations, order ids,
// hashes, ports, stack traces, SQL, metrics, config keys that name secrets without holding one).
// None of it may change. Made from templates with seeded fills, plus the demo incident's entries.
import { DEMO_ENTRIES } from '../../../server/src/demo.js';
import { prng } from '../../support/random.js';
import { nearMisses as scannerNearMisses } from '../../support/secretCorpus.js';

const HEXD = '0123456789abcdef';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function nearMissCorpus(): string[] {
  const rnd = prng(0x0a11ce);
  const int = (lo: number, hi: number) => lo + rnd.int(hi - lo + 1);
  const pick = (alphabet: string, n: number) =>
    Array.from({ length: n }, () => alphabet[rnd.int(alphabet.length)]).join('');
  const one = <T>(xs: readonly T[]): T => xs[rnd.int(xs.length)] as T;
  const ip = () =>
    one([
      `10.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`,
      `172.${int(16, 31)}.${int(0, 255)}.${int(1, 254)}`,
      `192.168.${int(0, 255)}.${int(1, 254)}`,
      `203.0.113.${int(1, 254)}`,
    ]);
  const ipv6 = () => `2001:db8:${pick(HEXD, 4)}::${pick(HEXD, 3)}`;
  const ulid = () => `01J${pick(CROCKFORD, 23)}`;
  const uuid = () => [8, 4, 4, 4, 12].map((n) => pick(HEXD, n)).join('-');
  const sha = (n = 40) => pick(HEXD, n);
  const ver = () => `${int(0, 12)}.${int(0, 40)}.${int(0, 30)}`;
  const ts = () =>
    `2026-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}T` +
    `${String(int(0, 23)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}:` +
    `${String(int(0, 59)).padStart(2, '0')}.${int(100, 999)}Z`;
  const clock = () => `${String(int(0, 23)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}`;
  const host = () =>
    `${one(['checkout-api', 'payments-db', 'cart-svc', 'edge-lb', 'kafka-broker', 'redis-cache', 'auth-gw'])}` +
    `-${int(0, 9)}.${one(['eu-west-1', 'us-east-2', 'ap-south-1'])}.internal`;
  const pod = () =>
    `${one(['checkout-api', 'orders-worker', 'search-indexer'])}-${pick('0123456789abcdef', 9)}-${pick('bcdfghjklmnpqrstvwxz2456789', 5)}`;
  const ms = () => `${int(1, 9999)} ms`;
  const order = () =>
    one([
      `${int(1000000000, 9999999999)}`,
      `ORD-${int(2024, 2026)}-${int(100000, 999999)}`,
      `#${int(100000, 99999999)}`,
      `A${int(10000000, 99999999)}`,
    ]);
  const pct = () => `${int(0, 100)}.${int(0, 9)}%`;
  const count = () =>
    one([
      `${int(1, 999)},${String(int(0, 999)).padStart(3, '0')}`,
      `${int(1000, 999999)}`,
      `${int(1, 99)}k`,
      `${int(1, 9)}.${int(0, 9)}M`,
    ]);

  const templates: (() => string)[] = [
    () =>
      `ERROR ${ts()} req_id=${ulid()} latency_ms=${int(100, 9000)} route=/v2/checkout status=${one([500, 502, 503, 504])}`,
    () => `connection refused from ${ip()}:${int(1024, 65535)} to ${host()}:${one([5432, 6379, 9092, 443])}`,
    () => `rolled back to ${sha()} (${one(['v', 'release-'])}${ver()}) at ${clock()} UTC`,
    () => `image registry.internal/checkout@sha256:${sha(64)} pulled on ${pod()}`,
    () => `p99 rose from ${ms()} to ${ms()} after the ${ver()} deploy; error rate ${pct()}`,
    () => `order ${order()} stuck in PENDING since ${ts()}; ${count()} orders affected`,
    () => `trace ${sha(32)} span ${sha(16)} shows ${int(2, 40)} retries against ${host()}`,
    () =>
      `at CartLoader.loadItems (/app/src/cart/CartLoader.ts:${int(10, 400)}:${int(1, 80)})\n    ` +
      `at processTicksAndRejections ` +
      `(node:internal/process/task_queues:${int(10, 99)}:${int(1, 9)})`,
    () =>
      `SELECT id, status FROM orders WHERE created_at > ` +
      `'2026-11-${String(int(1, 28)).padStart(2, '0')} ${clock()}:00' AND shard_id = ` +
      `${int(0, 255)} LIMIT ${int(10, 1000)};`,
    () =>
      `UPDATE payments SET state = 'failed' WHERE id IN (${int(1000, 99999)}, ` +
      `${int(1000, 99999)}, ${int(1000, 99999)}); -- ${int(1, 500)} rows`,
    () => `kubectl -n payments rollout undo deploy/checkout-api --to-revision=${int(10, 400)}`,
    () =>
      `disk on ${host()} at ${pct()} (${int(100, 999)} GiB of ${int(1000, 4000)} GiB); inode use ${pct()}`,
    () => `${pod()} OOMKilled at ${clock()}, restarts=${int(1, 40)}, memory limit ${int(256, 8192)}Mi`,
    () =>
      `pg_stat_activity shows ${int(20, 500)} connections; max_connections=${int(100, 1000)}; pool size ${int(10, 100)}`,
    () =>
      `Kafka consumer lag on orders.v${int(1, 4)} partition ${int(0, 63)} is ${count()} messages (offset ${int(1000000, 999999999)})`,
    () => `request ${uuid()} timed out after ${int(1, 60)}s at the edge (${ip()})`,
    () =>
      `incident ` +
      `INC-${int(2024, 2026)}${String(int(1, 12)).padStart(2, '0')}${String(int(1, 28)).padStart(2, '0')}` +
      `-${String(int(1, 999)).padStart(4, '0')} opened at ${clock()} by the pager`,
    () => `CIDR ${ip()}/${one([16, 20, 24, 28])} added to the allow list; IPv6 ${ipv6()}/64 too`,
    () =>
      `TLS handshake errors from ${count()} clients; cert serial ${pick('0123456789ABCDEF', 32)} expires ${ts()}`,
    () =>
      `node ${host()} kernel ${int(5, 6)}.${int(1, 19)}.${int(0, 200)}-${int(1, 99)}-amd64, uptime ${int(1, 400)} days`,
    () =>
      `build #${int(1000, 99999)} (commit ${sha(7)}) failed: test ` +
      `${one(['checkout.spec.ts', 'cart_test.go', 'test_payments.py'])} timed out after ` +
      `${int(5, 600)}s`,
    () => `GC pauses up to ${ms()}; heap ${int(100, 4000)} MB; ${int(1, 99)} full GCs in ${int(1, 60)} min`,
    () => `memcached hit ratio dropped to ${pct()} between ${clock()} and ${clock()}`,
    () =>
      `the load balancer marked ${int(1, 20)}/${int(20, 40)} targets unhealthy (health check ` +
      `/healthz, interval ${int(5, 30)}s, timeout ${int(2, 10)}s)`,
    () => `ticket JIRA-${int(100, 99999)} and PR #${int(100, 9999)} track the fix; ETA ${clock()}`,
    () => `metrics: rps=${int(100, 99999)} p50=${ms()} p95=${ms()} p99=${ms()} errors=${pct()}`,
    () => `DNS TTL for api.example.com is ${int(30, 3600)}s; resolvers ${ip()} and ${ip()}`,
    () =>
      `MAC ${Array.from({ length: 6 }, () => pick(HEXD, 2)).join(':')} on eth${int(0, 3)} flapped ${int(2, 60)} times`,
    () => `the password reset emails are failing; the token refresh job is stuck since ${clock()}`,
    () =>
      `cache_key=user:${int(1000, 99999)}:profile idempotency_key=${ulid()} partition_key=orders-2026-${int(10, 12)}`,
    () =>
      `set api_key from the vault (path secret/data/checkout/${one(['prod', 'staging'])}); key rotation every ${int(30, 90)} days`,
    () => `token_count=${int(1000, 99999)} max_tokens=${int(256, 8192)} model latency ${ms()}`,
    () => `password: ******** (unchanged) and client_secret=\${CLIENT_SECRET} from the environment`,
    () => `redis-cli -h ${ip()} -p 6379 INFO replication | grep lag  # lag ${int(0, 99)}s`,
    () =>
      `invoice ${int(2024, 2026)}-${String(int(1, 999999)).padStart(6, '0')} for ` +
      `${int(10, 99999)}.${int(10, 99)} EUR was retried ${int(2, 9)} times`,
    () => `shipment tracking 1Z${pick('0123456789ABCDEFGHJKLMNPRTUVWXY', 16)} delayed ${int(1, 5)} days`,
    () =>
      `versions: node ${int(18, 22)}.${int(0, 20)}.${int(0, 9)}, postgres ` +
      `${int(13, 17)}.${int(1, 9)}, openssl ${int(1, 3)}.${int(0, 4)}.${int(0, 15)}`,
    () => `between ${ts()} and ${ts()} we saw ${count()} 5xx responses`,
    () => `ports ${int(1024, 9999)} ${int(1024, 9999)} ${int(1024, 9999)} open on ${host()}`,
    () =>
      `sequence ${int(100, 999)} ${int(100, 999)} ${int(1000, 9999)} in the batch file name, epoch ${int(1700000000, 1800000000)}`,
    () =>
      `arn:aws:iam::${int(100000000000, 999999999999)}:role/checkout-deployer assumed by CI run ${int(1000000000, 9999999999)}`,
    () =>
      `git blame shows line ${int(10, 900)} of retry.go came from ${sha(7)} in ${one(['March', 'June', 'October'])}`,
    () =>
      `retry backoff ${int(100, 999)}ms, ${int(1, 9)}s, ${int(10, 60)}s; jitter ${pct()}; circuit open for ${int(10, 120)}s`,
    () =>
      `customer-facing impact: ${count()} checkouts failed, est. ${int(1000, 99999)} USD; status page updated at ${clock()}`,
    () =>
      `dashboard ` +
      `https://grafana.example.com/d/${pick('abcdefghijklmnopqrstuvwxyz0123456789', 9)}/checkou` +
      `t?orgId=1&from=now-${int(1, 24)}h&var-pod=${pod()}`,
    () => `feature flag checkout.new_cart_loader at ${int(0, 100)}% for cohort ${int(1, 20)}`,
    () =>
      `user_id=${int(100000, 99999999)} session ${ulid()} saw a ${one([500, 502, 503])} on /api/v${int(1, 3)}/orders/${order()}`,
    () => `phone verification SMS provider returned ${one([429, 500, 503])} for ${count()} requests`,
    // Ids, dates and versions glued to a word by a separator, where a card or phone may start too.
    () =>
      `order-${int(1000, 9999)}-${int(1000, 9999)} and refund-${int(100000, 999999)} on ` +
      `build-2026-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`,
    () =>
      `release-${ver()} (tag v-${ver()}, chart_${ver()}) rolled out as ` +
      `deploy-${int(2024, 2026)}${String(int(1, 12)).padStart(2, '0')}${String(int(1, 28)).padStart(2, '0')}-${int(1, 99)}`,
    () => `req-${ulid()} job_${ulid()} trace:${ulid()} span/${ulid().toLowerCase()}`,
    () =>
      `TKT-${String(int(1, 9999)).padStart(4, '0')}-${String(int(1, 9999)).padStart(4, '0')}-` +
      `${String(int(1, 9999)).padStart(4, '0')} reopened; INC_0${int(10000000, 99999999)} merged into it`,
    () =>
      `GET /v1/orders/${int(1000000000, 9999999999)}/items?page=${int(1, 9)} -> ${one([200, 404, 500])}; ` +
      `shard:${int(1000000, 9999999)} epoch=${int(1700000000, 1800000000)}`,
    () =>
      `cache key user_${int(1000000000, 9999999999)}_cart, lock:orders:${int(100000000000, 999999999999)}`,
    // Numbers in paths, after a slash or before one, and SSN-shaped ids after a word and a dash.
    () =>
      `GET /v1/${int(100, 999)}-${int(100, 999)}/status and /orders/${int(1000, 9999)}-${int(1000, 9999)}/items ` +
      `-> ${one([200, 404])}; /tickets/TKT-${String(int(1, 9999)).padStart(4, '0')}-${int(1000, 9999)}/`,
    () =>
      `logs in /builds/2026-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}/ and ` +
      `s3://logs/2026/${String(int(1, 12)).padStart(2, '0')}/${String(int(1, 28)).padStart(2, '0')}/, ` +
      `${int(1, 12)}/${int(1, 28)}/2026/, /releases/v${ver()}/ and /runs/${int(1000000, 99999999)}/`,
    () =>
      `ORD-${int(100, 665)}-${int(10, 99)}-${int(1000, 9999)} and build-${int(100, 665)}-${int(10, 99)}-${int(1000, 9999)} ` +
      `via ssn-lookup-${ver()}; p50/p99 ${int(10, 99)}/${int(100, 999)} ms, ${int(1, 9)}/${int(10, 20)} pods`,
    // Beside phones glued to a word or grouped by spaces alone: numbers side by side in prose,
    // or standing apart in shapes no region writes, and ids, versions, durations, ports and times
    // glued to a word.
    () =>
      `sequence ${int(200, 999)} ${int(200, 999)} ${int(1000, 9999)} in the batch file name; ` +
      `retries after ${int(100, 400)} ${int(400, 800)} ${int(800, 1600)} ms`,
    () =>
      `ports: ${int(1024, 9999)} ${int(1024, 9999)} ${int(1024, 9999)}; sizes (${one([1024, 2048, 4096])} ` +
      `${one([8192, 16384])} ${one([32768, 65536])}) in bytes; pids ${int(1000, 9999)} ${int(1000, 9999)} killed`,
    () =>
      `INC-0${int(100, 999)}-${int(1000, 9999)}, TKT_00${int(10, 99)}-${int(100, 999)}-${int(1000, 9999)}, ` +
      `job/0${int(100, 999)}-${int(100, 999)}-${int(1000, 9999)}, ORD-${int(200, 665)}-${int(10, 99)}-${int(1000, 9999)}`,
    () =>
      `node-${ver()}-${int(1, 99)}, run-${ts()}, port:${one([5432, 6379, 8080])}, timeout-${int(1, 90)}s, ` +
      `lock:orders:${int(100000000, 999999999)}, span:${clock()}:${String(int(0, 59)).padStart(2, '0')}`,
    () =>
      `at ${clock()}:${String(int(0, 59)).padStart(2, '0')} ${clock()}:${String(int(0, 59)).padStart(2, '0')}, ` +
      `versions: ${ver()} ${ver()}; durations: ${int(1, 59)}s ${int(1, 59)}m ${int(1, 23)}h, ids: ${int(10, 99)} ` +
      `${int(100, 999)} ${int(1000, 9999)}.`,
  ];

  const out: string[] = [];
  for (let i = 0; i < 366; i++) out.push((templates[i % templates.length] as () => string)());
  return [
    ...out,
    ...scannerNearMisses().map(([, text]) => text),
    ...DEMO_ENTRIES.map((e) => JSON.stringify(e)),
  ];
}
