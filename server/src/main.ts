// Starts a sitrep node: storage, rooms, the HTTP app and the websocket endpoint on one port.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Logger } from 'pino';
import { Authenticator } from './auth/Authenticator.js';
import { OriginPolicy } from './auth/OriginPolicy.js';
import { CommitFollower } from './cluster/CommitFollower.js';
import { PresenceRelay } from './cluster/PresenceRelay.js';
import type { Config } from './config.js';
import { Metrics } from './metrics.js';
import { createApp } from './http/app.js';
import { backfillMilestones } from './insights/milestoneBackfill.js';
import { ACK_WAIT_MS, DELAY_MS, PASS_ENTRIES, SearchIndexer } from './memory/SearchIndexer.js';
import { IncidentPrivacy } from './privacy/IncidentPrivacy.js';
import { RoomRegistry } from './room/RoomRegistry.js';
import { type Store, openStore } from './store/Store.js';
import { Summarizer } from './summarizer/Summarizer.js';
import { SyncServer } from './sync/SyncServer.js';
import { Views } from './views/Views.js';

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  /** The deployment's privacy policy and each incident's sanitizer settings. */
  privacy: IncidentPrivacy;
  rooms: RoomRegistry;
  views: Views;
  summarizer: Summarizer;
  metrics: Metrics;
  /** Keeps the search index up with the log; `caughtUp()` waits for it. */
  searchIndexer: SearchIndexer;
  /** The bootstrap admin token, when this start made one (a store with no tokens). */
  bootstrap: { token: string; file: string } | null;
  close(): Promise<void>;
}

export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const store = await openStore(config);
  const metrics = new Metrics(() => store.countIncidents());
  const searchIndexer = new SearchIndexer({
    pass: (max) => store.searchIndex.pass(max),
    mergePending: () => store.searchIndex.mergePending(),
    passEntries: PASS_ENTRIES[store.driver],
    delayMs: store.driver === 'pglite' ? 0 : DELAY_MS,
    log,
    metrics,
  });
  // On PGlite the index is brought up to a commit before the write is acknowledged: one process
  // on one event loop gains no parallelism from indexing later, and passes left running beside
  // other requests held the loop (the stall test); on Postgres another backend indexes meanwhile.
  store.afterCommit(
    store.driver === 'pglite'
      ? () => {
          searchIndexer.wake();
          return searchIndexer.indexed(ACK_WAIT_MS);
        }
      : () => searchIndexer.wake(),
  );
  const privacy = new IncidentPrivacy(store, config.privacy);
  const summarizer = await Summarizer.fromConfig(config, { store, log, metrics });
  if (!summarizer.deps.model) log.info('no ANTHROPIC_API_KEY: the commander view is the rules view only');
  const relay = new PresenceRelay((payloads) => store.publishPresence(payloads), log);
  const views = new Views({ store, log, metrics }, [summarizer]);
  const rooms = new RoomRegistry(
    store,
    log,
    metrics,
    config.snapshotEvery,
    [views, relay],
    (id) => privacy.settings(id),
    config.privacy,
  );
  // A change of allowances made here holds in this node's room before it is answered; one made
  // on another node is heard below. A room whose policy cannot be read refuses under the
  // deployment's (the strictest) and is read again on the housekeeping timer.
  privacy.onChange((id) =>
    rooms
      .refreshPolicy(id)
      .catch((err: unknown) => log.warn({ err, incident: id }, 'privacy policy refresh failed')),
  );
  const auth = new Authenticator(store);
  const bootstrap = await auth.bootstrap(config.dataDir);
  const origins = new OriginPolicy({
    bindHost: config.host,
    allowedHosts: config.allowedHosts,
    allowedOrigins: config.allowedOrigins,
  });
  const sync = new SyncServer(rooms, auth, origins, log, metrics, config.limits);
  // An incident made private on any node closes, on every node, the sockets on it of tokens that
  // may no longer read it; at every token re-check, every open socket is asked about again.
  const recheckReaders = (id?: string) =>
    void sync.recheckReaders(id).catch((err: unknown) => log.warn({ err }, 'reader re-check failed'));
  /** An incident's privacy changed (here, on another node, or maybe while the listener was away). */
  const privacyChanged = (id?: string) => {
    auth.forgetReadable(id);
    recheckReaders(id);
  };
  const app = createApp({
    store,
    rooms,
    log,
    auth,
    origins,
    metrics,
    summarizer,
    privacy,
    prices: config.prices,
    searchIndexed: (timeoutMs) => searchIndexer.indexed(timeoutMs),
    incidentsPerHour: config.limits.incidentsPerHour,
    importMaxBytes: config.limits.importMaxBytes,
    onRevoke: (id) => sync.disconnectToken(id),
    onVisibilityChange: (id) => privacyChanged(id),
  });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  sync.attach(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  // Several nodes on one Postgres: follow the commits of the others and relay presence to them,
  // and sweep idle documents.
  await store.listenForPresence((payload) => relay.hear(payload));
  // A token revoked on any node stops working on every node at once: its verified copy is
  // dropped and its sockets closed. After the listener reconnects (revocations may have been
  // missed) and every tokenRecheckMs, the open sockets' tokens are asked about again.
  const recheck = () => {
    void sync.recheckTokens().catch((err: unknown) => log.warn({ err }, 'token re-check failed'));
    recheckReaders();
  };
  await store.listenForRevocations(
    (tokenId) => {
      auth.forget(tokenId);
      sync.disconnectToken(tokenId);
    },
    () => {
      auth.forgetAll();
      recheck();
    },
  );
  await store.listenForVisibility(privacyChanged, () => privacyChanged());
  const tokenCheck = setInterval(recheck, config.tokenRecheckMs);
  tokenCheck.unref();
  await store.listenForAllowances(
    (id) =>
      void rooms
        .refreshPolicy(id)
        .catch((err: unknown) => log.warn({ err, incident: id }, 'privacy policy refresh failed')),
    () => void rooms.refreshPolicies(),
  );
  await store.listenForPurges(
    (id) => rooms.purged(id),
    () => rooms.purgesMissed(),
  );
  const follower = new CommitFollower(rooms, store, log);
  await follower.listen();
  // Another node's commit is indexed by whichever node indexes first (SearchIndex.pass).
  await store.listenForCommits(
    () => searchIndexer.wake(),
    () => searchIndexer.wake(),
  );
  const housekeeping = setInterval(
    () => {
      follower.checkAll().catch((err: unknown) => log.debug({ err }, 'catch-up check failed'));
      rooms.sweep(config.idleUnloadMs).catch((err: unknown) => log.warn({ err }, 'idle sweep failed'));
      void rooms.refreshPolicies(true);
    },
    Math.min(5_000, Math.max(50, config.idleUnloadMs / 2)),
  );
  housekeeping.unref();
  // Entries stored before blame flags were projected get theirs, in the background.
  let closing = false;
  const flagging = store
    .flagUnchecked(() => closing)
    .then((n) => n > 0 && log.info({ entries: n }, 'checked stored entries for blame'))
    .catch((err: unknown) => log.warn({ err }, 'checking stored entries for blame failed'));
  // Incidents made before the milestone columns get their times, in the background.
  const backfilling = backfillMilestones(store, () => closing)
    .then((n) => n > 0 && log.info({ incidents: n }, 'mirrored the milestone times of older incidents'))
    .catch((err: unknown) => log.warn({ err }, 'mirroring the milestone times of older incidents failed'));
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  log.info({ url, storage: store.driver }, 'sitrep listening');
  return {
    url,
    port,
    store,
    privacy,
    rooms,
    views,
    summarizer,
    metrics,
    searchIndexer,
    bootstrap,
    async close() {
      closing = true;
      clearInterval(housekeeping);
      clearInterval(tokenCheck);
      await sync.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rooms.closeAll();
      await flagging;
      await backfilling;
      await searchIndexer.close();
      await store.close();
    },
  };
}
