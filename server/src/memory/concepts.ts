// The incident-response vocabulary "seen before" knows: failure domains (DNS, certificates,
// connection pools, memory, ...) each with the words responders use for it, so two incidents of
// one failure told with other words (CoreDNS throttling and an NXDOMAIN from a resolver; a BGP
// flap and a split brain) still share something. Written from general SRE knowledge (the failure
// classes of postmortem collections and runbooks: the words tools print and people say for each),
// not from the evaluation set's cases: no word here was chosen because a case of
// test/corpus/memory missed without it. Pure data and a pure function; the store matches a
// concept as one more lexeme of each entry's search document naming one of its words
// (conceptLexeme: written by the search indexer, SearchIndex.ts), on PGlite and Postgres alike.
// The documents hold the lexicon as it was when they were indexed: changing it needs a migration
// that indexes them again (as 0024 did; concepts.test.ts fails until LEXICON_INDEXED is updated).
//
// Words are lexemes as Postgres's `simple` parser writes them (lower case, whole words, no
// prefixes: `resolv` would also be `resolved`), with the forms people write listed out. A word is
// left out when it is ordinary prose in other failures (deploy, latency, timeout, partition: a
// Kafka partition is not a network partition) or belongs to several domains equally; the generic
// words of ranking.ts (GENERIC_WORDS) are never here. Release and rollback are not a concept: every
// incident has one, so it would say that two incidents are incidents.

/** A failure domain and the words that name it. */
export interface Concept {
  name: string;
  words: readonly string[];
}

/** At most this many words per concept: each is one more word for the store to look up. */
export const CONCEPT_WORDS = 16;

const words = (list: string): readonly string[] => list.split(' ');

export const CONCEPTS: readonly Concept[] = [
  {
    name: 'dns',
    words: words(
      'dns coredns kubedns nxdomain servfail resolver resolvers nameserver nameservers ndots route53 nslookup dnsmasq lookup',
    ),
  },
  {
    name: 'network partition',
    words: words(
      'netsplit brain quorum bgp peering unreachable fencing stonith blackholed flap flapping flaps',
    ),
  },
  {
    name: 'certificates',
    words: words(
      'certificate certificates cert certs x509 tls ssl mtls handshake expiry notafter intermediate acme letsencrypt',
    ),
  },
  {
    name: 'connection pool',
    words: words('pgbouncer pooler pooling hikari hikaricp pool pools slots'),
  },
  {
    name: 'out of memory',
    words: words('oom oomkilled oomkill outofmemory outofmemoryerror rss heap evicted'),
  },
  {
    name: 'garbage collection',
    words: words('gc garbage collector jvm heap g1 zgc gctrace gogc gomemlimit safepoint gcinspector'),
  },
  {
    name: 'disk full',
    words: words('disk disks enospc inode inodes filesystem df du logrotate'),
  },
  {
    name: 'file descriptors',
    words: words('descriptor descriptors fd fds nofile ulimit emfile lsof limitnofile handles'),
  },
  {
    name: 'message queue lag',
    words: words('kafka consumer consumers lag offset offsets rebalance rebalancing rabbitmq sqs'),
  },
  {
    name: 'replication',
    words: words('replica replicas replication replicated standby wal binlog failover'),
  },
  {
    name: 'rate limit',
    words: words('429 ratelimit ratelimited quota quotas throttled throttling backoff'),
  },
  {
    name: 'clock',
    words: words('ntp ntpd chrony chronyd skew drift clock clocks timesync leap'),
  },
  {
    name: 'feature flag',
    words: words('flag flags toggle toggles launchdarkly unleash killswitch'),
  },
  {
    name: 'credentials',
    words: words(
      'credential credentials secret secrets password passwords rotated rotation vault unauthorized 401 apikey',
    ),
  },
  {
    name: 'permissions',
    words: words(
      'forbidden 403 accessdenied denied rbac iam permission permissions rolebinding clusterrolebinding authorized authorization',
    ),
  },
  {
    name: 'saturation',
    words: words('thread threads threadpool executor saturated saturation goroutines starved'),
  },
  {
    name: 'locks',
    words: words('lock locks locked deadlock deadlocks ddl alter accessexclusivelock vacuum'),
  },
  {
    name: 'cache',
    words: words('cache caches cached stampede thundering herd memcached ttl miss misses eviction'),
  },
  {
    name: 'scheduled jobs',
    words: words(
      'cron cronjob crontab scheduler scheduled duplicate duplicates twice idempotency idempotent',
    ),
  },
  {
    name: 'connection reuse',
    words: words('keepalive econnreset reset rst reuse reused'),
  },
  {
    name: 'packet size',
    words: words('mtu mss fragmentation fragmented jumbo pmtud icmp vxlan encapsulation overlay tunnel'),
  },
  {
    name: 'cpu limits',
    words: words('cfs throttled throttling millicores cgroup cgroups'),
  },
  {
    name: 'serialization',
    words: words(
      'schema schemas protobuf proto avro thrift deserialize deserialization deserializer serialization serializer wire compatibility',
    ),
  },
  {
    name: 'integer overflow',
    words: words('overflow overflowed 2147483647 int4 int32 integer bigint sequence wraparound serial'),
  },
  {
    name: 'health checks',
    words: words('healthcheck healthchecks unhealthy readiness liveness probe probes'),
  },
];

/**
 * The lexeme that stands for a concept in the search documents of the entries naming it: its
 * name after `concept `. It holds a space, which no lexeme Postgres's parser makes of any text
 * holds: a search, whatever its words, never matches it, and it is never mistaken for a word.
 */
export const conceptLexeme = (c: Concept): string => `concept ${c.name}`;

/**
 * Each word of the lexicon and the lexemes of the concepts it names (conceptLexeme): what the
 * search indexer adds to a document holding the word.
 */
export const CONCEPT_LEXEMES: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  [...new Set(CONCEPTS.flatMap((c) => c.words))].map((w) => [
    w,
    CONCEPTS.filter((c) => c.words.includes(w)).map(conceptLexeme),
  ]),
);

/** The concept of this name, if any. */
export const conceptNamed = (name: string): Concept | undefined => CONCEPTS.find((c) => c.name === name);

/** Concepts looked for per query, at most (the most present in the text). */
export const MAX_CONCEPTS = 4;

/** Words as the `simple` parser reads them, near enough to find the concepts a text names. */
const wordsOf = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];

const CONCEPT_OF_WORD = new Map<string, number[]>();
for (const [i, c] of CONCEPTS.entries())
  for (const w of c.words) CONCEPT_OF_WORD.set(w, [...(CONCEPT_OF_WORD.get(w) ?? []), i]);

/**
 * The concepts `sources` (texts and their weights: terms.ts SourceText) name, most present first
 * (the weights of the texts naming them, once per word and text), at most MAX_CONCEPTS.
 */
export function conceptsOf(sources: readonly { text: string; weight: number }[]): Concept[] {
  const weight = new Map<number, number>();
  for (const { text, weight: w } of sources)
    for (const word of new Set(wordsOf(text)))
      for (const i of CONCEPT_OF_WORD.get(word) ?? []) weight.set(i, (weight.get(i) ?? 0) + w);
  return [...weight.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, MAX_CONCEPTS)
    .flatMap(([i]) => CONCEPTS[i] ?? []);
}
