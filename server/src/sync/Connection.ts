// One websocket's life in a room: the y-websocket handshake, dispatch of its frames to the room,
// replies, keep-alive and clean-up. A refusal is answered as `socketReply` (shared/src/protocol)
// says: a malformed frame closes this socket only; a refused write is answered with
// permission-denied and the socket stays usable, except when the refusal means the client should
// resync (a storage failure, another writer's client id): then it is closed. A socket whose
// token expires is closed; one that does not read what it is sent is dropped. Its requests for
// whole answers (sync step 1, query-awareness) are paced; faster ones wait.
import {
  CLOSE_PROTOCOL_ERROR,
  CLOSE_UNAUTHORIZED,
  CLOSE_UNSUPPORTED,
  type Refused,
  SitrepError,
  closeReason,
  decodeMessage,
  encodeAck,
  encodeAwareness,
  encodeNack,
  encodePermissionDenied,
  encodeSyncStep1,
  socketReply,
} from '@sitrep/shared';
import type { Principal } from '../auth/Authenticator.js';
import {
  decodePresence,
  encodePresence,
  type PresenceChange,
  scanPresence,
  stampPresence,
} from '../gate/presence.js';
import type { Logger } from 'pino';
import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import type { Metrics } from '../metrics.js';
import { PresenceThrottle } from './PresenceThrottle.js';
import { RequestPacer } from './RequestPacer.js';
import type { DeflatedSink } from './deflatedFrames.js';
import { type Peer, type Reply, type RoomChannel, sendReply } from './RoomChannel.js';

/** A websocket's `readyState` while it is open (the WHATWG and `ws` value). */
const OPEN = 1;

/**
 * What a connection needs of its socket: `ws`'s WebSocket is one, and so is a test's fake.
 * A message arrives as `ws` hands it over: one buffer, an ArrayBuffer, or fragments.
 */
export interface Socket {
  readonly readyState: number;
  /** Bytes handed to `send` that are not sent yet. */
  readonly bufferedAmount: number;
  /** `fin: false`: more fragments of this message follow; `sent` once written out. */
  send(frame: Uint8Array, options?: { fin?: boolean }, sent?: (err?: Error) => void): void;
  close(code: number, reason: string): void;
  /** Drops the socket at once, without a closing handshake. */
  terminate(): void;
  ping(): void;
  on(event: 'message', listener: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): unknown;
  on(event: 'close' | 'pong', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

const PING_MS = 30_000;

/** Requests for whole answers a socket may make at once, before SYNC_REQUESTS_PER_MINUTE paces it. */
export const SYNC_REQUEST_BURST = 5;

/**
 * Bytes a socket may have waiting to be sent besides one large frame (the sync reply of a large
 * document): a client that reads slower than that is dropped, and resyncs when it reconnects.
 */
export const MAX_QUEUED_BYTES = 16 * 1024 * 1024;

/** A frame as `ws` handed it over. */
export interface HeldFrame {
  data: Buffer | ArrayBuffer | Buffer[];
  isBinary: boolean;
}

/** What a socket served before its room was built (EarlySocket) hands to its Connection. */
export interface EarlyHandOver {
  /** The frames it sent meanwhile, in order, not yet read. */
  frames: HeldFrame[];
  /** Bytes of the stored state it was sent (0: its step 1, if any, is among the frames). */
  sentBytes: number;
}

export interface ConnectionOptions {
  /** The client asked for acks (`?acks=1`). */
  acks: boolean;
  /** Presence updates of this socket that go through per second; faster ones are merged. */
  presencePerSecond: number;
  /** Sync step 1 and query-awareness requests (each) answered per minute after a burst; faster ones wait. */
  syncRequestsPerMinute: number;
  metrics: Metrics;
  /** The socket was opened while the room was loading (EarlySocket): what it sent and was sent meanwhile. */
  early?: EarlyHandOver;
  /** Where a stored state goes as it is stored, when the socket reads that (sync/deflatedFrames.ts). */
  deflated?: DeflatedSink | null;
}

export class Connection implements Peer {
  private alive = true;
  /** Bytes handed to the socket so far; what it has sent is this less what is still queued. */
  private sent = 0;
  /** The large frame allowed on top of MAX_QUEUED_BYTES while queued: where it ends, its size. */
  private large = { end: 0, size: 0 };
  /** How many updates this client has sent: the ref of its next ack. */
  private sentUpdates = 0;
  private readonly ping: NodeJS.Timeout;
  private expiry: NodeJS.Timeout | undefined;
  private readonly acks: boolean;
  private readonly presenceThrottle: PresenceThrottle;
  private readonly syncRequests: RequestPacer<{ stateVector: Uint8Array; clocks: Map<number, number> }>;
  private readonly awarenessQueries: RequestPacer<null>;
  private readonly metrics: Metrics;
  /** While the frames held before the room was built are read: the writes among them. */
  private replayed: Promise<unknown>[] | null = null;
  private readonly deflated: DeflatedSink | null;

  constructor(
    private readonly ws: Socket,
    private readonly channel: RoomChannel,
    private readonly principal: Principal,
    private readonly log: Logger,
    options: ConnectionOptions,
  ) {
    this.acks = options.acks;
    this.metrics = options.metrics;
    this.deflated = options.deflated ?? null;
    this.presenceThrottle = new PresenceThrottle(options.presencePerSecond, (changes) =>
      this.presence(changes),
    );
    const pace = <T>(answer: (request: T) => void) =>
      new RequestPacer<T>(options.syncRequestsPerMinute, SYNC_REQUEST_BURST, answer);
    this.syncRequests = pace(({ stateVector, clocks }) => {
      channel.syncReply(stateVector, clocks).then(
        (reply) => this.sendReply(reply),
        (err: unknown) => this.log.warn({ err }, 'sync reply failed'),
      );
    });
    this.awarenessQueries = pace(() =>
      this.send(
        encodeAwareness(
          encodeAwarenessUpdate(channel.room.awareness, [...channel.room.awareness.getStates().keys()]),
        ),
      ),
    );
    const { room } = channel;
    channel.peers.add(this);
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', () => this.cleanup());
    ws.on('error', (err) => this.log.debug({ err }, 'socket error'));
    ws.on('pong', () => {
      this.alive = true;
    });
    this.ping = setInterval(() => {
      if (!this.alive) return ws.terminate();
      this.alive = false;
      ws.ping();
    }, PING_MS);
    this.closeAtExpiry();
    const { early } = options;
    if (early) {
      // The stored state it was sent is one large frame, as a sync reply is.
      this.sent = this.large.end = this.large.size = early.sentBytes;
      this.replayed = [];
      for (const { data, isBinary } of early.frames) this.onMessage(data, isBinary);
      // Its step 1 goes once those writes are in the document, or the client would send them again.
      void Promise.all(this.replayed).then(() => this.send(encodeSyncStep1(room.doc)));
      this.replayed = null;
    } else this.send(encodeSyncStep1(room.doc));
    const states = [...room.awareness.getStates().keys()];
    if (states.length) this.send(encodeAwareness(encodeAwarenessUpdate(room.awareness, states)));
  }

  /** Sends one message of one frame: the fan-out's path, taken once per update and reader. */
  send(frame: Uint8Array): void {
    const largeLeft = this.room();
    if (largeLeft === null) return;
    this.ws.send(frame);
    this.queued(frame.byteLength, largeLeft);
  }

  /**
   * Sends messages in order (see Reply); their bytes count as one frame, so a sync reply sent as
   * a stored state and the updates after it is one large frame, as an encoded one is.
   */
  sendReply(reply: Reply): void {
    const largeLeft = this.room();
    if (largeLeft === null) return;
    this.queued(sendReply(this.ws, reply, undefined, this.deflated), largeLeft);
  }

  /**
   * What is left of the large frame (a sync reply), allowed besides MAX_QUEUED_BYTES; null when
   * nothing may be sent: the socket is not open, or it does not read what it is sent (it is dropped).
   */
  private room(): number | null {
    if (this.ws.readyState !== OPEN) return null;
    const queued = this.ws.bufferedAmount;
    const largeLeft = Math.max(0, Math.min(this.large.size, this.large.end - (this.sent - queued)));
    if (queued <= MAX_QUEUED_BYTES + largeLeft) return largeLeft;
    this.log.warn({ queued }, 'socket does not read what it is sent; dropping it');
    this.ws.terminate();
    return null;
  }

  /** Counts `bytes` just handed to the socket as one frame; one as large as what was left is the new large one. */
  private queued(bytes: number, largeLeft: number): void {
    this.sent += bytes;
    if (bytes >= largeLeft) this.large = { end: this.sent, size: bytes };
  }

  private expired(): boolean {
    return this.principal.expiresAt !== null && this.principal.expiresAt.getTime() <= Date.now();
  }

  /** Closes the socket when its token expires (a timer waits at most about 24 days at a time). */
  private closeAtExpiry(): void {
    if (this.principal.expiresAt === null) return;
    if (this.expired()) return this.close(CLOSE_UNAUTHORIZED, 'auth.invalid: the token expired');
    const wait = Math.min(this.principal.expiresAt.getTime() - Date.now(), 2 ** 31 - 1);
    this.expiry = setTimeout(() => this.closeAtExpiry(), wait);
  }

  private onMessage(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    if (!isBinary) return this.close(CLOSE_UNSUPPORTED, 'sitrep speaks binary y-websocket frames');
    const bytes = Buffer.isBuffer(data)
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.from(data);
    if (this.expired()) return this.close(CLOSE_UNAUTHORIZED, 'auth.invalid: the token expired');
    try {
      const msg = decodeMessage(bytes);
      switch (msg.type) {
        case 'sync-step1':
          if (!this.syncRequests.push(msg)) this.metrics.syncRequestsHeld.inc({ kind: 'sync-step1' });
          return;
        case 'sync-step2':
        case 'sync-update':
          return this.write(msg.update);
        case 'awareness':
          return this.onPresence(msg.update);
        case 'query-awareness':
          if (!this.awarenessQueries.push(null))
            this.metrics.syncRequestsHeld.inc({ kind: 'query-awareness' });
          return;
      }
    } catch (err) {
      this.log.info(
        { err: err instanceof SitrepError ? err.toJSON() : String(err) },
        'malformed frame, closing socket',
      );
      this.answer(
        'socket',
        err instanceof SitrepError ? err : new SitrepError('protocol.malformed', 'malformed frame'),
      );
    }
  }

  /** A presence update: a malformed one closes the socket; one that breaks a limit is answered. */
  private onPresence(update: Uint8Array): void {
    let changes: PresenceChange[];
    try {
      changes = decodePresence(update);
    } catch (err) {
      return this.answer('presence', err);
    }
    this.presenceThrottle.push(changes);
  }

  /**
   * Relays presence changes once they pass the gate and set only presences this socket holds,
   * nobody does, or another socket of the same token does (PresenceOwners says when one moves),
   * each stamped with the token's role and kind; a refused one is answered, not relayed.
   */
  private presence(changes: PresenceChange[]): void {
    scanPresence(changes, this.channel.room.policy).then(
      () => {
        if (this.ws.readyState !== OPEN) return;
        try {
          this.channel.presences.claim(this, this.principal.tokenId, changes);
        } catch (err) {
          return this.answer('presence', err);
        }
        try {
          applyAwarenessUpdate(
            this.channel.room.awareness,
            encodePresence(stampPresence(changes, this.principal)),
            this,
          );
        } catch (err) {
          // The gate decoded these states, so this should not happen; if it does, only this socket pays.
          this.log.warn({ err }, 'presence update could not be applied');
          this.close(CLOSE_PROTOCOL_ERROR, 'presence update could not be applied');
        }
      },
      (err: unknown) => this.answer('presence', err),
    );
  }

  private write(update: Uint8Array): void {
    const ref = this.sentUpdates++;
    let pending: Promise<number | null>;
    try {
      pending = this.channel.room.submit(update, this.principal.role, this, this.principal.tokenId);
    } catch (err) {
      return this.answer('write', err, ref);
    }
    const answered = pending.then(
      (seq) => {
        if (this.acks) this.send(encodeAck(ref, seq ?? 0));
      },
      (err: unknown) => this.answer('write', err, ref),
    );
    this.replayed?.push(answered);
  }

  /**
   * Tells the client what `socketReply` says of a refusal: a nack (of the write `ref`, to a
   * client that asked for acks), permission-denied, and a close when the socket should not go on.
   */
  private answer(refused: Refused, err: unknown, ref?: number): void {
    const { nack, denied, close } = socketReply(refused, err);
    if (refused === 'write') this.log.info({ reason: denied }, 'write refused');
    if (nack !== null && ref !== undefined && this.acks) this.send(encodeNack(ref, nack));
    if (denied !== null) this.send(encodePermissionDenied(denied));
    if (close) this.close(close.code, close.reason);
  }

  close(code: number, reason: string): void {
    this.ws.close(code, closeReason(reason));
  }

  private cleanup(): void {
    clearInterval(this.ping);
    clearTimeout(this.expiry);
    this.presenceThrottle.stop();
    this.syncRequests.stop();
    this.awarenessQueries.stop();
    this.channel.leave(this);
  }
}
