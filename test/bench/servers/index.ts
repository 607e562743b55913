// The servers the fan-out benchmark races, each started as a child process pinned to core 0 and
// reached through its own stock provider: sitrep (on Postgres or PGlite), @y/websocket-server kept
// by y-postgresql, Hocuspocus kept by @hocuspocus/extension-database (its default debounce, and
// storing on every change), and in-memory @y/websocket-server as the reference for a Node process
// that stores nothing. A server that keeps its document in Postgres gets a throwaway Postgres 15
// cluster of its own with fsync on, whose processes' CPU is counted with the server's.
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { ApiClient } from '@sitrep/shared';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { synced } from '../../support/clients.js';
import { freePort } from '../../support/net.js';
import { launch } from '../child.js';
import { SITREP_SOURCE, sitrepBuilt } from '../sitrepBuilt.js';

/** Where a server keeps its document: a directory of its own, and a Postgres database if it uses one. */
export interface Store {
  dir: string;
  databaseUrl?: string;
  /** False when the server starts again on what it stored before (after a crash). */
  fresh: boolean;
}

export interface Connection {
  synced: Promise<void>;
  destroy(): void;
}

export interface Started {
  child: ChildProcess;
  connect(doc: Y.Doc): Connection;
}

export interface Peer {
  name: string;
  /** Keeps the document in Postgres (a cluster is started for it). */
  postgres: boolean;
  /** Keeps the document at all: a crash can be survived. */
  stores: boolean;
  /** What it promises of an update it has relayed, by design (the benchmark checks it by a crash). */
  durability: string;
  start(store: Store): Promise<Started>;
}

const yWebsocket =
  (url: string, room: string, params: Record<string, string> = {}) =>
  (doc: Y.Doc) => {
    const p = new WebsocketProvider(url, room, doc, {
      params,
      WebSocketPolyfill: WebSocket as never,
      disableBc: true,
    });
    return { synced: synced(p), destroy: () => p.destroy() };
  };

const hocuspocus = (port: number) => (doc: Y.Doc) => {
  const socket = new HocuspocusProviderWebsocket({
    url: `ws://127.0.0.1:${port}`,
    WebSocketPolyfill: WebSocket,
  });
  let done = () => {};
  const ready = new Promise<void>((resolve) => (done = resolve));
  const p = new HocuspocusProvider({
    websocketProvider: socket,
    name: 'bench',
    document: doc,
    onSynced: () => done(),
  });
  p.attach(); // a provider given a shared socket connects only once attached
  return {
    synced: ready,
    destroy: () => {
      p.destroy();
      socket.destroy();
    },
  };
};

/**
 * sitrep as shipped: every update through the gate and the secret scanner, committed before it is
 * relayed; its bundled executable, or its sources through tsx (`from: 'source'`).
 */
export const sitrep = (
  backend: 'postgres' | 'pglite',
  profileDir?: string,
  from: 'bundle' | 'source' = 'bundle',
): Peer => ({
  name: `sitrep (${backend}${from === 'source' ? ', from source' : ''})`,
  postgres: backend === 'postgres',
  stores: true,
  durability: 'yes: committed before anyone sees it',
  async start(store) {
    const port = await freePort();
    const prof = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const child = await launch(
      [...prof, from === 'source' ? SITREP_SOURCE : await sitrepBuilt(), 'serve'],
      {
        SITREP_PORT: String(port),
        SITREP_DATA_DIR: store.dir,
        SITREP_LOG_LEVEL: 'warn',
        DATABASE_URL: store.databaseUrl ?? '', // empty: PGlite
      },
      'sitrep is running',
    );
    const token = (await readFile(join(store.dir, 'admin-token'), 'utf8')).trim();
    if (store.fresh) {
      await new ApiClient(`http://127.0.0.1:${port}`, { token }).createIncident({
        id: 'bench',
        title: 'fan-out bench',
      });
    }
    return { child, connect: yWebsocket(`ws://127.0.0.1:${port}/yjs`, 'bench', { token }) };
  },
});

export const yWebsocketPostgres: Peer = {
  name: '@y/websocket-server 0.1.1 + y-postgresql 1.0.1',
  postgres: true,
  stores: true,
  durability: 'no: a row per update, written after the broadcast, not awaited',
  async start(store) {
    const port = await freePort();
    const child = await launch(
      ['--import', 'tsx', 'test/bench/servers/yWebsocketPostgres.ts', String(port)],
      { DATABASE_URL: store.databaseUrl ?? '' },
      'listening',
    );
    return { child, connect: yWebsocket(`ws://127.0.0.1:${port}`, 'bench') };
  },
};

export const hocuspocusDatabase = (debounce?: number): Peer => ({
  name: `hocuspocus 3.4.4 + extension-database${debounce === undefined ? ' (2 s debounce)' : ` (debounce ${debounce})`}`,
  postgres: true,
  stores: true,
  durability:
    debounce === 0
      ? 'no: the whole state stored after each change, not awaited'
      : 'no: the whole state stored 2 s after the last change, at most 10 s',
  async start(store) {
    const port = await freePort();
    const child = await launch(
      ['--import', 'tsx', 'test/bench/servers/hocuspocus.ts', String(port)],
      {
        DATABASE_URL: store.databaseUrl ?? '',
        ...(debounce !== undefined && { HOCUSPOCUS_DEBOUNCE: String(debounce) }),
      },
      'listening',
    );
    return { child, connect: hocuspocus(port) };
  },
});

export const hocuspocusMemory: Peer = {
  name: 'hocuspocus 3.4.4 in memory',
  postgres: false,
  stores: false,
  durability: 'nothing stored',
  async start() {
    const port = await freePort();
    const child = await launch(
      ['--import', 'tsx', 'test/bench/servers/hocuspocus.ts', String(port)],
      { DATABASE_URL: '' },
      'listening',
    );
    return { child, connect: hocuspocus(port) };
  },
};

export const yWebsocketMemory: Peer = {
  name: '@y/websocket-server 0.1.1 in memory (reference)',
  postgres: false,
  stores: false,
  durability: 'nothing stored',
  async start() {
    const port = await freePort();
    const child = await launch(
      ['node_modules/@y/websocket-server/src/server.js'],
      { HOST: '127.0.0.1', PORT: String(port) },
      'running at',
    );
    return { child, connect: yWebsocket(`ws://127.0.0.1:${port}`, 'bench') };
  },
};

/** The servers by the names FANOUT_SERVERS takes. */
export const PEERS: Record<string, Peer> = {
  sitrep: sitrep('postgres', process.env.FANOUT_PROFILE),
  'sitrep-pglite': sitrep('pglite', process.env.FANOUT_PROFILE),
  'sitrep-source': sitrep('postgres', process.env.FANOUT_PROFILE, 'source'),
  'y-postgresql': yWebsocketPostgres,
  hocuspocus: hocuspocusDatabase(),
  'hocuspocus-debounce0': hocuspocusDatabase(0),
  'y-websocket': yWebsocketMemory,
  'hocuspocus-memory': hocuspocusMemory,
};
