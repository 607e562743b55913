// Past incidents of the blind set (written 2026-12-06, after the first two halves had been read
// while tuning; no ranking change was chosen with these in view before their first run): file
// descriptor exhaustion, 32-bit id overflow, garbage collection pauses, CPU throttling by container
// limits, MTU black holes, message schema incompatibility, missing cloud or cluster permissions.
// Each mode told two or three times by different people in different words.
import { type PastSpec, action, confirm, decision, done, finding, gap, rejection, theory } from './build.js';
import * as who from './people.js';

export const pastC: PastSpec[] = [
  {
    id: 'past-fd-exhaustion-1',
    mode: 'fd-exhaustion',
    title: 'Image proxy returning 502s at peak traffic',
    severity: 'SEV2',
    created: '2026-03-11T18:20:00Z',
    commander: 'Kenji Watanabe',
    team: [who.kenji, who.sofiaAI],
    steps: [
      finding('img-proxy 502 rate 9% since 18:05 UTC; only the busiest nodes fail, the quiet ones are fine.'),
      finding('img-proxy log: `accept4: too many open files; retrying in 5ms`, thousands per minute.', {
        by: 1,
      }),
      theory('cdn', 'The CDN origin shield is slow and requests pile up', 'Origin latency rose at 18:00.', {
        by: 1,
      }),
      theory(
        'ulimit',
        'The process hits its open file limit',
        'The new base image starts img-proxy without the systemd unit that raised LimitNOFILE.',
      ),
      finding(
        '`cat /proc/$(pidof img-proxy)/limits` shows Max open files 1024; `ls /proc/<pid>/fd | wc -l` is 1024.',
        {
          by: 1,
          refs: ['ulimit'],
        },
      ),
      rejection(
        'cdn',
        'Origin latency went back to normal at 18:15 and the errors went on.',
        'The errors follow open sockets per process, not origin latency.',
        { by: 1 },
      ),
      confirm(
        'ulimit',
        'Cause: img-proxy runs with the default limit of 1024 descriptors',
        'The base image move dropped LimitNOFILE=65536; every client and upstream socket takes a descriptor.',
        'The descriptor count sits at the limit on every failing node and the errors say so.',
      ),
      decision(
        'Set nofile to 65536 in the container spec and roll img-proxy',
        'Rolling restart, busiest nodes first.',
        'The limit is the whole problem and raising it is safe: memory per socket is small.',
      ),
      action(
        'lint',
        'Check the nofile limit of every service in the image build',
        'Fail the build below 65536.',
        {
          by: 1,
        },
      ),
      gap('alert', 'Should we alert on descriptors in use against the limit?', 'Nobody watched it.'),
    ],
  },
  {
    id: 'past-fd-exhaustion-2',
    mode: 'fd-exhaustion',
    title: 'Search indexing stopped; new products not searchable',
    severity: 'SEV3',
    created: '2026-08-02T09:45:00Z',
    commander: 'Elena Petrova',
    team: [who.elena, who.ravi, who.graceAI],
    steps: [
      finding(
        'No new documents in the catalogue index since 07:30; search-indexer is up and its queue is growing.',
      ),
      finding(
        'search-indexer stack trace: `java.io.IOException: Too many open files` while opening a segment file.',
        { by: 2 },
      ),
      theory('disk', 'The index volume is full', 'Segment writes fail.', { by: 1 }),
      theory(
        'leak',
        'Index readers are opened per request and never closed',
        'Release 3.8 added a reader per facet query.',
        { by: 2 },
      ),
      rejection(
        'disk',
        'The volume is 41% used.',
        'Plenty of space; the error is about handles, not bytes.',
        {
          by: 1,
        },
      ),
      finding('`lsof -p` counts 63,900 handles, nearly all deleted segment files still held open.', {
        by: 2,
        refs: ['leak'],
      }),
      confirm(
        'leak',
        'Cause: a file handle leak in the facet reader of release 3.8',
        'Each facet query opened a reader and never closed it; handles grew until the process limit.',
        'Handle count grows with facet queries only, and the 3.7 build holds a flat count.',
      ),
      decision(
        'Roll back search-indexer to 3.7 and reindex the backlog',
        'Backlog of 40k documents replayed from the queue.',
        'Rollback is immediate; the fix needs a review of reader lifetimes.',
        { by: 1 },
      ),
      action(
        'fix',
        'Close facet readers in a finally block and add a handle count test',
        'Owner: search team.',
        {
          by: 2,
        },
      ),
      done('fix', 'Fixed in 3.9 with a test that runs 10,000 facet queries and checks the handle count.', {
        by: 2,
        after: 400,
      }),
      action('metric', 'Export open handles per process as a metric', 'process_open_fds on the dashboard.'),
    ],
  },
  {
    id: 'past-id-overflow-1',
    mode: 'id-overflow',
    title: 'Orders cannot be created: database rejects inserts',
    severity: 'SEV1',
    created: '2026-02-21T14:02:00Z',
    commander: 'Marcus Johnson',
    team: [who.marcus, who.fatimaAI],
    steps: [
      finding('Every order placement fails since 13:58 UTC; order-api returns 500.'),
      finding('order-api log: `ERROR: integer out of range` on INSERT INTO order_lines.', { by: 1 }),
      theory('migration', "This morning's migration changed a column type", 'A migration ran at 09:00.', {
        by: 1,
      }),
      theory(
        'serial',
        'The order_lines id sequence passed the largest 32-bit integer',
        'The table is old and was created with serial.',
      ),
      finding('`SELECT last_value FROM order_lines_id_seq` returns 2147483647.', { by: 1, refs: ['serial'] }),
      rejection(
        'migration',
        'The morning migration only added an index on another table.',
        'Nothing in it touches order_lines; the failure starts at the sequence maximum.',
        { by: 1 },
      ),
      confirm(
        'serial',
        'Cause: order_lines.id is int4 and the sequence ran out',
        'Two billion lines since 2019; the column was never moved to bigint.',
        'last_value is exactly 2^31 - 1 and every failing statement is an insert there.',
      ),
      decision(
        'Alter order_lines.id and its references to bigint during the outage',
        'The rewrite takes about 40 minutes on the primary.',
        'No workaround keeps orders flowing; a rewrite now beats a trickier online change.',
      ),
      action('audit', 'List every int4 primary key above half its range', 'Check all databases.', { by: 1 }),
      gap(
        'why',
        'Why did no capacity review see a sequence at 99%?',
        'The review looks at disk and CPU only.',
      ),
    ],
  },
  {
    id: 'past-id-overflow-2',
    mode: 'id-overflow',
    title: 'Clickstream events silently missing from the warehouse',
    severity: 'SEV3',
    created: '2026-10-14T06:30:00Z',
    commander: 'Hana Sato',
    team: [who.hana, who.jonasAI, who.seun],
    steps: [
      finding('The warehouse has no click events after 02:14 UTC; event-collector still accepts them.'),
      finding(
        "event-loader logs `Duplicate entry '2147483647' for key 'PRIMARY'` on every batch into the MySQL staging table.",
        { by: 1 },
      ),
      theory('dedupe', 'The new dedupe step rejects every batch as a replay', 'It shipped on Monday.', {
        by: 2,
      }),
      theory(
        'autoinc',
        'The staging table auto_increment is stuck at the INT maximum',
        'An INT column tops out at 2147483647 and MySQL then repeats the last value.',
        { by: 1 },
      ),
      rejection(
        'dedupe',
        'Turning the dedupe step off changes nothing.',
        'The batches fail in MySQL with a duplicate key, before dedupe sees them.',
        { by: 2 },
      ),
      confirm(
        'autoinc',
        'Cause: the staging table id is a signed INT that reached its maximum',
        'Staging rows are deleted after load but auto_increment never goes back, so the counter kept climbing.',
        'SHOW TABLE STATUS gives Auto_increment 2147483647.',
      ),
      decision(
        'Truncate the staging table and change its id to BIGINT UNSIGNED',
        'Replay the events from the collector buffer.',
        'Staging holds nothing once loaded; truncating resets the counter at once.',
        { by: 1 },
      ),
      action('replay', 'Replay events since 02:14 from the collector', 'Buffer keeps 72 hours.', { by: 2 }),
      done('replay', 'Replayed 38M events; warehouse counts match the collector.', { by: 2, after: 180 }),
      action(
        'alert',
        'Alert on loaded row counts dropping to zero',
        'The loader failed quietly for four hours.',
      ),
    ],
  },
  {
    id: 'past-gc-pause-1',
    mode: 'gc-pause',
    title: 'Checkout latency spikes every few minutes',
    severity: 'SEV2',
    created: '2026-01-27T11:10:00Z',
    commander: 'Jonas Weber',
    team: [who.jonas, who.meiAI],
    steps: [
      finding('Checkout p99 jumps to 9 s for a few seconds about every four minutes; p50 is normal.'),
      finding(
        'pricing-svc GC log: `[gc] GC(812) Pause Full (G1 Compaction Pause) 3998M->3921M(4096M) 7412.6ms`.',
        { by: 1 },
      ),
      theory('db', 'Slow queries on the pricing database', 'The spikes look like lock waits.', { by: 1 }),
      theory(
        'heap',
        'pricing-svc heap is nearly full and the JVM does full collections',
        'The price cache was made ten times bigger last week.',
      ),
      rejection('db', 'The database shows no slow queries at the spike times.', 'Query latency is flat.', {
        by: 1,
      }),
      confirm(
        'heap',
        'Cause: the larger price cache filled the heap and forced stop-the-world full collections',
        'Old generation stays above 95% after each collection; each full GC freezes the service for seconds.',
        'The spikes line up with the Pause Full lines to the second.',
      ),
      decision(
        'Shrink the price cache back and raise the heap to 6 GB',
        'Config change and rolling restart.',
        'Restores the old headroom now; cache sizing gets a proper review later.',
      ),
      action(
        'sizing',
        'Size caches against the heap with an alert on old gen occupancy',
        'Owner: pricing team.',
        {
          by: 1,
        },
      ),
    ],
  },
  {
    id: 'past-gc-pause-2',
    mode: 'gc-pause',
    title: 'Cassandra node flapping between up and down',
    severity: 'SEV3',
    created: '2026-06-09T22:40:00Z',
    commander: 'Fatima Noor',
    team: [who.fatima, who.dmitriAI, who.priya],
    steps: [
      finding('Node cass-07 is marked DOWN by the ring every few minutes and back UP within 20 seconds.'),
      finding('cass-07 system.log: `GCInspector.java: G1 Old Generation GC in 14212ms`.', { by: 1 }),
      theory('nic', 'A flaky network card on cass-07', 'Gossip failures look like packet loss.', { by: 2 }),
      theory(
        'partition',
        'A very large partition is read whole into the heap',
        'The activity table has a few huge rows.',
        { by: 1 },
      ),
      rejection(
        'nic',
        'No interface errors, and pings from the other nodes never drop.',
        'The node is reachable; it stops answering only during the long collections.',
        { by: 2 },
      ),
      finding('nodetool tablehistograms shows a 2.3 GB partition in activity.user_events.', {
        by: 1,
        refs: ['partition'],
      }),
      confirm(
        'partition',
        'Cause: reads of an oversized partition fill the old generation and the node freezes',
        'Every stop-the-world pause over 10 s makes the other nodes mark it down.',
        'The DOWN marks follow the long GC lines and the reads of that partition key.',
      ),
      decision(
        'Block the offending key at the API and split the partition by month',
        'Data model change shipped the next day.',
        'The key belongs to a test account; blocking it stops the pauses at once.',
        { by: 2 },
      ),
      action('limit', 'Warn on partitions over 100 MB at compaction', 'Cassandra setting plus alert.', {
        by: 1,
      }),
      gap('others', 'Are other tables growing partitions like this?', 'Not checked yet.'),
    ],
  },
  {
    id: 'past-gc-pause-3',
    mode: 'gc-pause',
    title: 'Recommendations API p99 sawtooth after Go upgrade',
    severity: 'SEV4',
    created: '2026-11-03T15:00:00Z',
    commander: 'Sofía García',
    team: [who.sofia, who.liamAI],
    steps: [
      finding('recs-api p99 climbs and drops in a sawtooth every 30 s since Tuesday; CPU is 40% higher.'),
      finding('With GODEBUG=gctrace=1 the runtime reports a collection every 300 ms and GC CPU near 35%.', {
        by: 1,
      }),
      theory('upgrade', 'The Go 1.23 upgrade changed the scheduler', 'The upgrade shipped on Tuesday.', {
        by: 1,
      }),
      theory(
        'alloc',
        'The new JSON encoder allocates a lot of garbage per response',
        'It shipped in the same release.',
      ),
      rejection(
        'upgrade',
        'The same code built with the old toolchain behaves the same.',
        'The change is in our code, not the runtime.',
        { by: 1 },
      ),
      confirm(
        'alloc',
        'Cause: allocation rate tripled and the garbage collector runs constantly',
        'The heap is small against the allocation rate, so collections come every few hundred milliseconds.',
        'pprof alloc_space puts 70% of allocations in the new encoder.',
      ),
      decision(
        'Set GOMEMLIMIT to 1.5 GB and GOGC to 200, then fix the encoder',
        'Environment change first, code change next sprint.',
        'The memory is there; fewer collections cut the pauses today.',
      ),
      action('encoder', 'Reuse buffers in the JSON encoder', 'Owner: recs team.', { by: 1 }),
    ],
  },
  {
    id: 'past-cpu-throttling-1',
    mode: 'cpu-throttling',
    title: 'Auth service slow although CPU looks idle',
    severity: 'SEV2',
    created: '2026-04-16T10:05:00Z',
    commander: 'Ravi Kulkarni',
    team: [who.ravi, who.aishaAI],
    steps: [
      finding('auth-svc p99 800 ms (normally 90 ms); pod CPU usage is 35% of its limit.'),
      finding(
        'container_cpu_cfs_throttled_periods_total rises on every auth-svc pod: 60% of periods throttled.',
        {
          by: 1,
        },
      ),
      theory('redis', 'The session store is slow', 'auth-svc reads sessions from Redis.', { by: 1 }),
      theory(
        'quota',
        'The CFS quota throttles the pods in bursts',
        'The limit was cut to 500m in the cost review; the runtime starts 16 worker threads.',
      ),
      rejection('redis', 'Redis latency p99 is 1 ms.', 'The time is spent waiting for CPU, not on Redis.', {
        by: 1,
      }),
      confirm(
        'quota',
        'Cause: the 500m CPU limit throttles auth-svc bursts',
        '16 threads use the 50 ms quota of a 100 ms period in a few milliseconds and then wait.',
        'Removing the limit in staging brings p99 to 85 ms at the same load.',
      ),
      decision(
        'Raise the CPU limit to 2 and size the worker pool to it',
        'Rolled out with the next deploy.',
        'Averages hid the bursts: the cost review looked at mean usage only.',
      ),
      action('review', 'Add throttling to the cost review before cutting limits', 'Owner: platform.', {
        by: 1,
      }),
    ],
  },
  {
    id: 'past-cpu-throttling-2',
    mode: 'cpu-throttling',
    title: 'Sidecar adding 200 ms to every request in the mesh',
    severity: 'SEV3',
    created: '2026-09-24T08:15:00Z',
    commander: 'Grace Mensah',
    team: [who.grace, who.tomasAI, who.kenji],
    steps: [
      finding('Mesh traffic latency up about 200 ms per hop since the proxy upgrade; app time is unchanged.'),
      finding('cpu.stat of the envoy sidecar: nr_throttled 48210 of nr_periods 51000.', { by: 1 }),
      theory('tls', 'The new proxy version negotiates TLS on every request', 'Handshake counts went up.', {
        by: 2,
      }),
      theory(
        'limit',
        'The sidecar CPU limit of 100m is too small for the new version',
        'The new version does more work per request.',
        { by: 1 },
      ),
      rejection(
        'tls',
        'Connection reuse is the same as before.',
        'Handshakes rose with restarts only and fell back; the delay stayed.',
        { by: 2 },
      ),
      confirm(
        'limit',
        'Cause: the sidecar is throttled by its 100m CPU limit',
        'Nearly every scheduling period ends throttled, so requests queue inside the proxy.',
        'Raising the limit on one namespace removed the extra 200 ms there.',
      ),
      decision(
        'Set the sidecar CPU limit to 500m cluster-wide',
        'Mesh config change, proxies restarted namespace by namespace.',
        'Requests of 100m came from an old default that nobody measured.',
      ),
      action('dash', 'Show throttled periods per container on the service dashboard', 'Owner: platform.', {
        by: 1,
      }),
      done('dash', 'Added to the default service dashboard.', { by: 1, after: 300 }),
    ],
  },
  {
    id: 'past-mtu-1',
    mode: 'mtu-blackhole',
    title: 'Partner API calls hang on large responses over the VPN',
    severity: 'SEV2',
    created: '2026-02-09T16:30:00Z',
    commander: 'Tomás Ferreira',
    team: [who.tomas, who.hanaAI],
    steps: [
      finding(
        'Calls to the partner over the site-to-site VPN time out, but only those whose response is more than a few KB.',
      ),
      finding(
        'tcpdump on the gateway: full-size segments retransmitted again and again; small ones get through.',
        {
          by: 1,
        },
      ),
      theory('partner', 'The partner API is slow on big queries', 'Big responses come from big queries.', {
        by: 1,
      }),
      theory(
        'mtu',
        'Packets above the tunnel MTU are dropped and the ICMP that would say so is blocked',
        'The VPN adds about 70 bytes of overhead.',
      ),
      rejection(
        'partner',
        'The partner serves the same responses to us in 200 ms from outside the tunnel.',
        'Only the path through the VPN fails.',
        { by: 1 },
      ),
      finding(
        '`ping -M do -s 1472` through the tunnel fails; `-s 1380` works. The firewall drops ICMP type 3.',
        {
          refs: ['mtu'],
        },
      ),
      confirm(
        'mtu',
        'Cause: a path MTU black hole on the VPN',
        'Path MTU discovery cannot work because the firewall drops fragmentation-needed messages.',
        'Clamping the MSS on the tunnel makes the large responses arrive at once.',
      ),
      decision(
        'Clamp TCP MSS to 1360 on the tunnel interface',
        'One firewall rule.',
        'Allowing ICMP needs the security review; clamping fixes it today.',
      ),
      action('icmp', 'Allow ICMP fragmentation-needed through the edge firewall', 'Security review needed.', {
        by: 1,
      }),
      gap('others', 'Which other tunnels have the same firewall rule?', 'Unknown.'),
    ],
  },
  {
    id: 'past-mtu-2',
    mode: 'mtu-blackhole',
    title: 'Pods on the new overlay network cannot finish TLS handshakes',
    severity: 'SEV2',
    created: '2026-07-01T12:00:00Z',
    commander: "Liam O'Connor",
    team: [who.liam, who.priyaAI, who.marcus],
    steps: [
      finding(
        'After the CNI migration, service calls between nodes hang right after ClientHello; calls within a node work.',
      ),
      finding(
        'The server certificate chain is 4 KB; the ServerHello flight never arrives on the other node.',
        {
          by: 1,
        },
      ),
      theory('certs', 'The new CNI breaks our certificates', 'It is the TLS handshake that fails.', {
        by: 2,
      }),
      theory(
        'vxlan',
        'The pod interface MTU ignores the VXLAN overhead',
        'Pods got MTU 1500 while the node network is also 1500 and VXLAN adds 50 bytes.',
        { by: 1 },
      ),
      rejection('certs', 'Plain HTTP with a large body hangs the same way.', 'It is packet size, not TLS.', {
        by: 2,
      }),
      confirm(
        'vxlan',
        'Cause: pod MTU 1500 on a VXLAN overlay over a 1500 byte network',
        'Encapsulated full-size packets exceed the node MTU and are dropped between nodes.',
        'Setting the CNI MTU to 1450 on two test nodes fixes calls between them.',
      ),
      decision(
        'Set the CNI MTU to 1450 and restart the pods node by node',
        'Drain each node, change, uncordon.',
        'The overlay overhead is fixed; the MTU has to leave room for it.',
        { by: 1 },
      ),
      action('check', 'Add an MTU check to the cluster bootstrap', 'Send a large ping between two nodes.', {
        by: 1,
      }),
    ],
  },
  {
    id: 'past-mtu-3',
    mode: 'mtu-blackhole',
    title: 'Database replication stalls across the Direct Connect link',
    severity: 'SEV3',
    created: '2026-11-19T03:40:00Z',
    commander: 'Mei Lin',
    team: [who.mei, who.seunAI],
    steps: [
      finding(
        'The replica in the on-premises site stopped receiving WAL at 03:22; the primary shows it connected.',
      ),
      finding(
        'Small queries over the link work; the stream of WAL pages stalls and the TCP window sits at zero.',
        {
          by: 1,
        },
      ),
      theory('bandwidth', 'The link is saturated by the nightly backup', 'The backup starts at 03:00.', {
        by: 1,
      }),
      theory(
        'jumbo',
        'The new instances send jumbo frames the link cannot carry',
        'The primary moved to an instance type with MTU 9001 last week.',
      ),
      rejection(
        'bandwidth',
        'Link usage is 12% during the stall.',
        'There is room on the link; big packets vanish instead.',
        { by: 1 },
      ),
      confirm(
        'jumbo',
        'Cause: 9001 byte frames from the new primary are dropped on the 1500 byte link',
        'Path MTU discovery did not bring the size down, so large segments were lost for good.',
        'With the interface MTU set to 1500 the replica catches up within minutes.',
      ),
      decision(
        'Pin the interface MTU of hosts that talk over the link to 1500',
        'Set in the instance bootstrap.',
        'Inside the VPC jumbo frames help little for this traffic.',
      ),
      action('doc', 'Write down the MTU of every link in the network docs', 'Owner: network team.', {
        by: 1,
      }),
    ],
  },
  {
    id: 'past-schema-1',
    mode: 'schema-incompat',
    title: 'Order event consumers crash after producer release',
    severity: 'SEV2',
    created: '2026-05-06T13:25:00Z',
    commander: 'Oluwaseun Adeyemi',
    team: [who.seun, who.kenjiAI],
    steps: [
      finding('fulfilment-worker pods crash loop since 13:10; the order-events topic backs up.'),
      finding(
        'fulfilment-worker: `com.google.protobuf.InvalidProtocolBufferException: Protocol message had invalid UTF-8`.',
        { by: 1 },
      ),
      theory('broker', 'A broken broker corrupts messages', 'One broker restarted this morning.', { by: 1 }),
      theory(
        'proto',
        'The producer changed the message definition',
        'order-service 6.1 went out at 13:05 with changes to OrderPlaced.',
      ),
      rejection(
        'broker',
        'Messages written before 13:05 decode fine from every broker.',
        'Only messages of the new producer fail.',
        { by: 1 },
      ),
      confirm(
        'proto',
        'Cause: order-service reused field number 7 with a new type',
        'A removed string field number was given to a bytes field; old consumers read the bytes as text.',
        'Decoding a new message with the old .proto reproduces the exception.',
      ),
      decision(
        'Roll back order-service and skip the bad offsets',
        'The 6.1 messages are replayed once consumers are upgraded.',
        'Consumers cannot read the new format until they ship the new definition.',
      ),
      action('reserved', 'Mark removed field numbers reserved in every .proto', 'Lint rule in CI.', {
        by: 1,
      }),
      gap('registry', 'Should protobuf topics use the schema registry too?', 'Only Avro topics do today.'),
    ],
  },
  {
    id: 'past-schema-2',
    mode: 'schema-incompat',
    title: 'Analytics pipeline dropping every event',
    severity: 'SEV3',
    created: '2026-10-01T10:50:00Z',
    commander: 'Priya Raman',
    team: [who.priya, who.elenaAI, who.jonas],
    steps: [
      finding(
        'The dashboards show zero events since 10:20; the stream processor sends everything to the dead letter topic.',
      ),
      finding(
        'stream-processor: `org.apache.avro.AvroTypeException: Found string, expecting int` for field cart_size.',
        {
          by: 1,
        },
      ),
      theory('deploy', "The stream processor's own deploy at 10:00", 'It deployed twenty minutes before.', {
        by: 2,
      }),
      theory(
        'type',
        'A producer registered a new schema that changes a field type',
        'The schema registry shows version 14 of the subject at 10:18.',
        { by: 1 },
      ),
      rejection(
        'deploy',
        'Rolling the processor back changes nothing.',
        'The records it cannot read are new; the reader is the same.',
        { by: 2 },
      ),
      confirm(
        'type',
        'Cause: the web producer changed cart_size from int to string and the registry allowed it',
        'The subject compatibility had been set to NONE during a migration and never set back.',
        'Version 14 is the only change and every failing record uses it.',
      ),
      decision(
        'Set compatibility back to BACKWARD and make the producer publish version 13 again',
        'Replay the dead letter topic after the producer fix.',
        'The registry is the guard meant to stop this; it must be on.',
      ),
      action('audit', 'Report every subject whose compatibility is NONE', 'Weekly job.', { by: 1 }),
      done('audit', 'Found and fixed three more subjects set to NONE.', { by: 1, after: 240 }),
    ],
  },
  {
    id: 'past-permission-1',
    mode: 'missing-permission',
    title: 'Report exports fail for every customer',
    severity: 'SEV2',
    created: '2026-03-30T09:10:00Z',
    commander: 'Aisha Bello',
    team: [who.aisha, who.raviAI],
    steps: [
      finding('All report exports fail since 08:50; the export page shows a generic error.'),
      finding(
        'export-worker: `An error occurred (AccessDenied) when calling the PutObject operation: Access Denied` for the reports bucket.',
        { by: 1 },
      ),
      theory('quota', 'The bucket hit a storage quota', 'Exports are large.', { by: 1 }),
      theory(
        'policy',
        'The bucket policy no longer allows the export role to write',
        'A Terraform change to the reports bucket applied at 08:45.',
      ),
      rejection('quota', 'Buckets have no quota here and reads still work.', 'Only writes are refused.', {
        by: 1,
      }),
      confirm(
        'policy',
        'Cause: the new bucket policy denies writes from outside the VPC endpoint',
        'export-worker runs in a subnet that reaches storage through the NAT, not the endpoint.',
        'The policy condition names the endpoint and the access logs show the NAT address.',
      ),
      decision(
        'Add the export subnet route to the storage endpoint',
        'Route table change.',
        'The policy is right; the worker should use the endpoint.',
      ),
      action('plan', 'Show policy diffs in the Terraform plan review', 'Owner: platform.', { by: 1 }),
    ],
  },
  {
    id: 'past-permission-2',
    mode: 'missing-permission',
    title: 'Deploy pipeline cannot create pods',
    severity: 'SEV3',
    created: '2026-07-22T17:35:00Z',
    commander: 'Dmitri Volkov',
    team: [who.dmitri, who.graceAI, who.sofia],
    steps: [
      finding('Every deploy job fails at the rollout step since 17:20; nothing reaches production.'),
      finding(
        'ci log: `Error from server (Forbidden): pods is forbidden: ' +
          'User "system:serviceaccount:ci:deployer" cannot create resource "pods"`.',
        { by: 1 },
      ),
      theory('token', 'The deployer token expired', 'Tokens were rotated last month.', { by: 2 }),
      theory(
        'rbac',
        'A RoleBinding cleanup removed the deployer binding',
        'An access review removed stale bindings at 17:15.',
        { by: 1 },
      ),
      rejection(
        'token',
        'The token authenticates: the API server knows the user.',
        'Forbidden is an authorization answer; an expired token gets Unauthorized.',
        { by: 2 },
      ),
      confirm(
        'rbac',
        'Cause: the access review deleted the deployer RoleBinding as stale',
        'The binding was unused for 90 days on one cluster and the script applied to all of them.',
        '`kubectl auth can-i create pods --as system:serviceaccount:ci:deployer` is no before, yes after restoring it.',
      ),
      decision(
        'Restore the binding from git and exclude service accounts from the stale sweep',
        'Applied by hand, then through the config repo.',
        'Service accounts of pipelines are used rarely but on purpose.',
      ),
      action('dry', 'Run the access review in dry run first', 'Owner: security.', { by: 1 }),
      gap('audit', 'Which other bindings did the sweep remove?', 'The script kept no log.'),
    ],
  },
  {
    id: 'past-permission-3',
    mode: 'missing-permission',
    title: 'Product thumbnails missing after moving to workload identity',
    severity: 'SEV3',
    created: '2026-11-27T12:20:00Z',
    commander: 'Tomás Ferreira',
    team: [who.tomas, who.marcusAI],
    steps: [
      finding(
        'New product pages show broken thumbnails since noon; old images still load from the CDN cache.',
      ),
      finding(
        'thumbnailer: `403 thumbnailer@ does not have storage.objects.get access to the Google Cloud Storage object`.',
        { by: 1 },
      ),
      theory('cdn', 'The CDN purge at noon broke image URLs', 'A purge ran at 12:00.', { by: 1 }),
      theory(
        'identity',
        'The workload identity has no role on the media bucket',
        'The service account keys were replaced by workload identity this morning.',
      ),
      rejection(
        'cdn',
        'The URLs are the same and the origin itself answers 403.',
        'The CDN only passes on the origin error.',
        { by: 1 },
      ),
      confirm(
        'identity',
        'Cause: the new identity lacks the object viewer role on the media bucket',
        'The old key belonged to a service account with the role; the binding was not carried over.',
        'Granting roles/storage.objectViewer fixes new thumbnails within a minute.',
      ),
      decision(
        'Grant the role through the infrastructure repo, not by hand',
        'Reviewed change applied at 13:05.',
        'A hand-made grant would be lost on the next apply.',
      ),
      action('diff', 'Compare the roles of old and new identities before each move', 'Checklist item.', {
        by: 1,
      }),
    ],
  },
];
