// New incidents of the blind set (see pastC.ts): each asks for the past incidents of its failure
// mode, told in words of its own; the unrelated ones are failure modes no past incident saw,
// sharing only generic words (latency, deploy, errors, timeouts, DNS records) with the past.
import type { NewSpec } from './build.js';
import * as who from './people.js';

export const blindRelated: NewSpec[] = [
  {
    id: 'blind-fd-exhaustion',
    mode: 'fd-exhaustion',
    title: 'Websocket gateway refusing new connections',
    severity: 'SEV2',
    by: who.marcusAI,
    findings: [
      'ws-gateway stops accepting clients once about 4,000 are connected; existing sessions keep working.',
      'Its log repeats `socket: too many open files`; /proc/<pid>/fd holds 4096 entries.',
    ],
  },
  {
    id: 'blind-id-overflow',
    mode: 'id-overflow',
    title: 'Comments fail to post',
    severity: 'SEV2',
    by: who.kenjiAI,
    findings: [
      'comment-api returns 500 on every new comment since 04:12 UTC; reads are fine.',
      'Postgres error: `nextval: reached maximum value of sequence "comments_id_seq" (2147483647)`.',
    ],
  },
  {
    id: 'blind-gc-pause-a',
    mode: 'gc-pause',
    title: 'Quote service timing out every ten minutes',
    severity: 'SEV2',
    by: who.aishaAI,
    findings: [
      'quote-svc callers time out in bursts of 5 to 8 seconds roughly every ten minutes.',
      'The JVM log shows `Pause Full (G1 Compaction Pause)` lines of 6 seconds at the same times; old gen is 97% after each.',
    ],
  },
  {
    id: 'blind-gc-pause-b',
    mode: 'gc-pause',
    title: 'Ledger node stops answering health checks for seconds at a time',
    severity: 'SEV3',
    by: who.liamAI,
    findings: [
      'The load balancer marks ledger-node-3 unhealthy for 10 to 15 s several times an hour, then healthy again.',
      'Heap usage climbs to the maximum before each episode and the process uses no CPU for anything but the collector.',
      'No network errors on the host.',
    ],
  },
  {
    id: 'blind-cpu-throttling',
    mode: 'cpu-throttling',
    title: 'Search API p99 doubled after moving to the new cluster',
    severity: 'SEV3',
    by: who.fatimaAI,
    findings: [
      'search-api p99 went from 120 ms to 260 ms after the move; mean CPU is only 30% of the pod limit.',
      'Throttling on the search-api containers is 70% of CFS periods during traffic bursts.',
    ],
  },
  {
    id: 'blind-mtu-a',
    mode: 'mtu-blackhole',
    title: 'Uploads over 1 MB stall from the branch offices',
    severity: 'SEV3',
    by: who.tomasAI,
    findings: [
      'From the branch offices small requests work, but any upload bigger than a few KB hangs after the TLS handshake.',
      'From a branch laptop `ping -M do -s 1472` to the upload host gets no answer while `-s 1400` does.',
    ],
  },
  {
    id: 'blind-mtu-b',
    mode: 'mtu-blackhole',
    title: 'gRPC streams between regions freeze on big messages',
    severity: 'SEV2',
    by: who.graceAI,
    findings: [
      'Cross-region gRPC calls with payloads under 1 KB succeed; larger ones hang until the deadline.',
      'A packet capture shows the same full-size segment retransmitted with no ICMP coming back; ' +
        'the new inter-region link went live yesterday.',
    ],
  },
  {
    id: 'blind-schema',
    mode: 'schema-incompat',
    title: 'Shipment tracking consumers stuck after carrier-gateway release',
    severity: 'SEV2',
    by: who.hanaAI,
    findings: [
      'tracking-consumer stops at the first message written by carrier-gateway 4.2 and retries it forever.',
      'The error is `failed to deserialize record: unknown wire type 7`; the 4.2 message definition renumbered two fields.',
    ],
  },
  {
    id: 'blind-permission-a',
    mode: 'missing-permission',
    title: 'Nightly backups not written since yesterday',
    severity: 'SEV2',
    by: who.jonasAI,
    findings: [
      'backup-agent fails on upload: `An error occurred (AccessDenied) when calling the PutObject operation: Access Denied`.',
      'The backups bucket policy was rewritten by a Terraform apply yesterday afternoon.',
    ],
  },
  {
    id: 'blind-permission-b',
    mode: 'missing-permission',
    title: 'Scheduler cannot list jobs after the cluster upgrade',
    severity: 'SEV3',
    by: who.seunAI,
    findings: [
      'job-scheduler logs `jobs.batch is forbidden: User "system:serviceaccount:batch:scheduler" cannot list resource "jobs"`.',
      'The upgrade replaced the ClusterRole set; our custom ClusterRoleBinding points at a role that no longer exists.',
    ],
  },
];

export const blindUnrelated: NewSpec[] = [
  {
    id: 'blind-unrelated-alias',
    mode: null,
    title: 'Search returns no results after reindex deploy',
    severity: 'SEV2',
    by: who.priyaAI,
    findings: [
      'Catalogue search returns empty pages since the reindex deploy; errors are zero and latency is normal.',
      'The index alias was switched to the new index before the bulk load into it had finished.',
    ],
  },
  {
    id: 'blind-unrelated-rounding',
    mode: null,
    title: 'Invoice totals off by a cent after deploy',
    severity: 'SEV3',
    by: who.meiAI,
    findings: [
      'Some invoices differ by 0.01 from the sum of their lines since the afternoon deploy.',
      'The new money library rounds half to even per line where the old one rounded half up on the total.',
    ],
  },
  {
    id: 'blind-unrelated-dkim',
    mode: null,
    title: 'Marketing emails landing in spam folders',
    severity: 'SEV3',
    by: who.elenaAI,
    findings: [
      'Open rates fell by half after the switch of email provider; mailbox providers put our mail in spam.',
      'The DKIM selector of the new provider was never published as a DNS record, so signatures fail to verify.',
    ],
  },
  {
    id: 'blind-unrelated-nplusone',
    mode: null,
    title: 'Account page slow after deploy',
    severity: 'SEV3',
    by: who.raviAI,
    findings: [
      'account-page p95 latency went from 300 ms to 2.4 s after the deploy; no errors.',
      'Each page view now runs one query per saved address: the new serializer loads them one at a time.',
    ],
  },
  {
    id: 'blind-unrelated-locale',
    mode: null,
    title: 'German users see English text after release',
    severity: 'SEV4',
    by: who.sofiaAI,
    findings: [
      'Since release 9.2 the web app shows English strings to users with German as their language.',
      'The build step that bundles the translation files skipped the de folder after it was renamed.',
    ],
  },
];
