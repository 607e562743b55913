// The websocket endpoint: upgrades `GET /yjs/:incidentId` on the HTTP server into a connection
// in that incident's room. Unknown paths and incidents are refused before the upgrade.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  CLOSE_FORBIDDEN,
  CLOSE_GOING_AWAY,
  CLOSE_UNAUTHORIZED,
  IncidentId,
  SitrepError,
  WS_PROTOCOL,
  encodePermissionDenied,
  roleIn,
  socketReply,
  tokenFromProtocols,
} from '@sitrep/shared';
import type { Authenticator, Principal } from '../auth/Authenticator.js';
import type { OriginPolicy } from '../auth/OriginPolicy.js';
import type { Logger } from 'pino';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Metrics } from '../metrics.js';
import type { IncidentRoom } from '../room/IncidentRoom.js';
import type { RoomLoading } from '../room/RoomLoading.js';
import type { RoomRegistry } from '../room/RoomRegistry.js';
import { GEOMETRIC_FROM_BYTES } from '../room/SnapshotCache.js';
import { isStorageOutage } from '../store/faults.js';
import { Connection, type EarlyHandOver } from './Connection.js';
import { DEFLATE_OPTIONS, type DeflatedSink, acceptedExtensions, deflatedSink } from './deflatedFrames.js';
import { EarlySocket, type ServedState, servesEarly } from './EarlySocket.js';
import { RoomChannel } from './RoomChannel.js';

/** The largest frame a client may send; a larger one closes its socket (CLOSE_TOO_LARGE). */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

export interface SyncLimits {
  /** Sockets one token may hold open on this node, upgrades under way included. */
  socketsPerToken: number;
  /** Presence updates per socket per second that go through; faster ones are merged. */
  presencePerSecond: number;
  /** Sync step 1 and query-awareness requests per socket per minute answered after a burst; faster ones wait. */
  syncRequestsPerMinute: number;
}

/** Selects `sitrep` when offered, never the token offered beside it. */
const SERVER_OPTIONS = {
  noServer: true,
  maxPayload: MAX_FRAME_BYTES,
  handleProtocols: (offered: Set<string>) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
} as const;

export class SyncServer {
  private readonly wss = new WebSocketServer(SERVER_OPTIONS);
  /**
   * Upgrades sockets of incidents served as stored past GEOMETRIC_FROM_BYTES, accepting
   * permessage-deflate when offered, so the stored snapshot goes to them as it is stored
   * (sync/deflatedFrames.ts); every other socket is upgraded without it, as before.
   */
  private readonly deflating = new WebSocketServer({ ...SERVER_OPTIONS, perMessageDeflate: DEFLATE_OPTIONS });
  /** The extensions `deflating` accepted on each upgrade, as it answered it. */
  private readonly accepted = new WeakMap<IncomingMessage, string>();
  private readonly channels = new Map<string, RoomChannel>();

  private readonly byToken = new Map<string, Set<Connection>>();
  /** Each open socket's token and incident: whether it may still read it is asked again (recheckReaders). */
  private readonly readers = new Map<Connection, { principal: Principal; incidentId: string }>();
  /** Sockets per token, counted from authentication to close, so parallel upgrades count too. */
  private readonly socketCounts = new Map<string, number>();

  constructor(
    private readonly rooms: RoomRegistry,
    private readonly auth: Authenticator,
    private readonly origins: OriginPolicy,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly limits: SyncLimits,
  ) {
    this.deflating.on('headers', (headers, req) => this.accepted.set(req, acceptedExtensions(headers)));
  }

  attach(server: Server): void {
    server.on('upgrade', (req, socket, head) => {
      this.upgrade(req, socket, head).catch((err: unknown) => {
        if (isStorageOutage(err)) return reject(socket, 503, 'Service Unavailable');
        this.log.error({ err }, 'upgrade failed');
        reject(socket, 500, 'Internal Server Error');
      });
    });
  }

  get connections(): number {
    return this.wss.clients.size + this.deflating.clients.size;
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    try {
      this.origins.checkHost(req.headers.host);
      this.origins.checkOrigin(req.headers.origin, req.headers.host);
    } catch {
      return reject(socket, 403, 'Forbidden'); // a rebinding or cross-site page gets no socket at all
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = /^\/yjs\/([^/]+)$/.exec(url.pathname);
    if (!match?.[1]) return reject(socket, 404, 'Not Found');
    let name: string;
    try {
      name = decodeURIComponent(match[1]);
    } catch {
      return reject(socket, 400, 'Bad Request'); // a malformed %-escape
    }
    const id = IncidentId.safeParse(name);
    if (!id.success) return reject(socket, 400, 'Bad Request');
    let principal: Principal;
    try {
      // sitrep's clients send the token as a subprotocol; a stock provider's `params` put it in the URL.
      principal = await this.auth.authenticate(
        tokenFromProtocols(req.headers['sec-websocket-protocol']) ?? url.searchParams.get('token'),
      );
      this.countSocket(principal.tokenId, socket);
    } catch (err) {
      if (err instanceof SitrepError) return this.refuse(req, socket, head, err);
      throw err;
    }
    const acks = url.searchParams.get('acks') === '1';
    try {
      // One the token may not read is not found, as one that does not exist (store/visibility.ts).
      await this.auth.readable(principal, id.data);
      // Outside its scope a token reads as a viewer: every write it sends is refused.
      const actor: Principal = { ...principal, role: roleIn(principal, id.data) };
      const opening = this.rooms.open(id.data);
      const loading = this.rooms.loading(id.data);
      const stored = await loading?.stored;
      if (loading && stored && servesEarly(stored))
        return this.upgradeWhileLoading(req, socket, head, opening, loading, stored, principal, actor, acks);
      const room = await opening;
      // Held from here, before the upgrade completes, so an idle sweep cannot unload it meanwhile.
      room.hold();
      socket.once('close', () => room.release());
      const wss = room.servesStored() ? this.deflating : this.wss;
      wss.handleUpgrade(req, socket, head, (ws) =>
        this.connect(ws, room, principal, actor, acks, undefined, this.sink(req, socket)),
      );
    } catch (err) {
      if (err instanceof SitrepError && err.code === 'incident.not_found')
        return reject(socket, 404, 'Not Found');
      throw err;
    }
  }

  /**
   * Completes the upgrade of a socket to a room still being loaded: a new client is served the
   * stored state meanwhile (EarlySocket), and the socket joins the room once its document is
   * built. A load that fails closes it as a refused socket is closed.
   */
  private upgradeWhileLoading(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    opening: Promise<IncidentRoom>,
    loading: RoomLoading,
    stored: ServedState,
    principal: Principal,
    actor: Principal,
    acks: boolean,
  ): void {
    const wss = stored.snapshot.state.byteLength >= GEOMETRIC_FROM_BYTES ? this.deflating : this.wss;
    wss.handleUpgrade(req, socket, head, (ws) => {
      const deflated = this.sink(req, socket);
      const early = new EarlySocket(ws, stored, this.metrics, deflated);
      // The build waits (a bounded time) for the client's step 1 to be answered and sent.
      loading.delayBuild(early.done);
      loading.whenBuilt((room) => {
        const handOver = early.handOver();
        if (ws.readyState !== ws.OPEN) return;
        room.hold();
        ws.once('close', () => room.release());
        this.connect(ws, room, principal, actor, acks, handOver, deflated);
      });
      opening.catch((err: unknown) => {
        early.handOver();
        if (!isStorageOutage(err) && !(err instanceof SitrepError))
          this.log.error({ err }, 'room load failed');
        const { close } = socketReply('socket', err);
        ws.close(close.code, close.reason);
      });
    });
  }

  /** Where a socket upgraded by `deflating` is sent stored deflate data, if it reads it. */
  private sink(req: IncomingMessage, socket: Duplex): DeflatedSink | null {
    return deflatedSink(socket, this.accepted.get(req) ?? '');
  }

  /** A socket joins its room: a Connection in the room's channel, counted and rechecked. */
  private connect(
    ws: WebSocket,
    room: IncidentRoom,
    principal: Principal,
    actor: Principal,
    acks: boolean,
    early?: EarlyHandOver,
    deflated?: DeflatedSink | null,
  ): void {
    let channel = this.channels.get(room.id);
    if (!channel || channel.room !== room)
      this.channels.set(room.id, (channel = new RoomChannel(room, this.metrics)));
    const log = this.log.child({ incident: room.id, token: principal.tokenId });
    const conn = new Connection(ws, channel, actor, log, {
      acks,
      presencePerSecond: this.limits.presencePerSecond,
      syncRequestsPerMinute: this.limits.syncRequestsPerMinute,
      metrics: this.metrics,
      ...(early && { early }),
      deflated,
    });
    let set = this.byToken.get(principal.tokenId);
    if (!set) this.byToken.set(principal.tokenId, (set = new Set()));
    set.add(conn);
    this.readers.set(conn, { principal, incidentId: room.id });
    this.metrics.connections.inc();
    const peers = channel;
    ws.on('close', () => {
      this.metrics.connections.dec();
      set.delete(conn);
      this.readers.delete(conn);
      if (set.size === 0) this.byToken.delete(principal.tokenId);
      if (peers.peers.size === 0 && this.channels.get(room.id) === peers) {
        peers.detach();
        this.channels.delete(room.id);
      }
    });
  }

  /**
   * Counts one more socket of the token until `socket` closes; throws quota.exceeded past the
   * limit (one token's many sockets would otherwise cost every client of the node).
   */
  private countSocket(tokenId: string, socket: Duplex): void {
    const held = this.socketCounts.get(tokenId) ?? 0;
    if (held >= this.limits.socketsPerToken) {
      throw new SitrepError(
        'quota.exceeded',
        `a token may hold at most ${this.limits.socketsPerToken} sockets on a node (SITREP_MAX_SOCKETS_PER_TOKEN)`,
      );
    }
    this.socketCounts.set(tokenId, held + 1);
    const release = () => {
      const left = (this.socketCounts.get(tokenId) ?? 1) - 1;
      if (left > 0) this.socketCounts.set(tokenId, left);
      else this.socketCounts.delete(tokenId);
    };
    // The client may have gone while its token was checked: its close has been and gone.
    if (socket.closed) release();
    else socket.once('close', release);
  }

  /**
   * Completes the upgrade only to say why, in the y-protocols permission-denied message that
   * stock clients log, and to close as `socketReply` says (4401, 4403 or 4429).
   */
  private refuse(req: IncomingMessage, socket: Duplex, head: Buffer, err: SitrepError): void {
    const { denied, close } = socketReply('socket', err);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (denied !== null) ws.send(encodePermissionDenied(denied));
      ws.close(close.code, close.reason);
    });
  }

  /** Closes every socket opened with a token that was just revoked (here or on another node). */
  disconnectToken(tokenId: string, reason = 'auth.invalid: the token was revoked'): void {
    for (const conn of this.byToken.get(tokenId) ?? []) conn.close(CLOSE_UNAUTHORIZED, reason);
  }

  /**
   * Asks the database whether the tokens of the open sockets still work and closes those whose
   * token does not: a revocation this node did not hear of, an expiry moved earlier.
   */
  async recheckTokens(): Promise<void> {
    const gone = await this.auth.unusable([...this.byToken.keys()]);
    for (const id of gone) this.disconnectToken(id, 'auth.invalid: the token is no longer valid');
  }

  /**
   * Closes the open sockets (on `incidentId`, or on every incident) whose token may no longer read
   * their incident: it was made private here or on another node. One question per kind of reader.
   */
  async recheckReaders(incidentId?: string): Promise<void> {
    const groups = new Map<string, { principal: Principal; incidentId: string; conns: Connection[] }>();
    for (const [conn, r] of this.readers) {
      if (incidentId !== undefined && r.incidentId !== incidentId) continue;
      const p = r.principal;
      const key = JSON.stringify([r.incidentId, p.role === 'admin', p.incidentId, p.isolated]);
      const group = groups.get(key) ?? { principal: p, incidentId: r.incidentId, conns: [] };
      group.conns.push(conn);
      groups.set(key, group);
    }
    for (const group of groups.values()) {
      const may = await this.auth.readable(group.principal, group.incidentId).then(
        () => true,
        (err: unknown) => {
          if (err instanceof SitrepError && err.code === 'incident.not_found') return false;
          throw err;
        },
      );
      if (may) continue;
      // As a revoked token's: the reader has lost it for good (the dashboard says so and stays).
      for (const conn of group.conns)
        conn.close(CLOSE_FORBIDDEN, `incident.not_found: no incident ${group.incidentId}`);
    }
  }

  async close(): Promise<void> {
    const servers = [this.wss, this.deflating];
    for (const ws of servers.flatMap((s) => [...s.clients]))
      ws.close(CLOSE_GOING_AWAY, 'server shutting down');
    for (const channel of this.channels.values()) channel.detach();
    this.channels.clear();
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

function reject(socket: Duplex, status: number, text: string): void {
  if (socket.writable)
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}
