// Presence across nodes: each node says the presence changes of its own sockets to the others
// (Postgres NOTIFY; never stored), and applies what the others say to the rooms it has loaded,
// whose channels then send it to their sockets. A node that loads a room asks the others what
// they show there. Nothing is durable: a node that was away misses what was said meanwhile and
// hears each presence again at its next renewal (stock clients renew every 15 s); the presences
// of a node that dies time out on the others after 30 s, as a silent client's do.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import type { IncidentRoom } from '../room/IncidentRoom.js';
import type { RoomObserver } from '../room/RoomRegistry.js';

/** The origin of presence changes another node said: not said again. */
export const RELAYED = Symbol('relayed');

/** Characters of a message per notification: Postgres takes payloads under 8,000 bytes. */
export const PART_CHARS = 7_000;

/** Messages being put together from their parts at most; older ones are dropped. */
const MAX_PARTIAL = 256;

type Message = { t: 'update'; i: string; u: string } | { t: 'query'; i: string };

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

/**
 * A message as the notification payloads that carry it: `node:message:part/parts:text`. A
 * message goes out in one statement, so its parts arrive together and in order.
 */
export function toParts(node: string, n: number, text: string): string[] {
  const count = Math.max(1, Math.ceil(text.length / PART_CHARS));
  return Array.from(
    { length: count },
    (_, k) => `${node}:${n}:${k + 1}/${count}:${text.slice(k * PART_CHARS, (k + 1) * PART_CHARS)}`,
  );
}

/** Puts messages back together from their parts; `hear` returns a message once it is whole. */
export class Reassembly {
  private readonly partial = new Map<string, string[]>();

  hear(payload: string): { node: string; text: string } | null {
    const m = /^([0-9a-f]+):(\d+):(\d+)\/(\d+):/.exec(payload);
    if (!m) return null;
    const [head, node = '', n, part, parts] = m;
    const text = payload.slice(head.length);
    if (parts === '1') return { node, text };
    const key = `${node}:${n}`;
    const got = this.partial.get(key) ?? [];
    if (Number(part) !== got.length + 1) {
      this.partial.delete(key); // a part went missing: the message is lost, as any relay may be
      return null;
    }
    got.push(text);
    if (got.length < Number(parts)) {
      this.partial.set(key, got);
      if (this.partial.size > MAX_PARTIAL) this.partial.delete(this.partial.keys().next().value ?? '');
      return null;
    }
    this.partial.delete(key);
    return { node, text: got.join('') };
  }
}

interface Watched {
  room: IncidentRoom;
  /** Presences other nodes said: never said again from here. */
  remote: Set<number>;
  stop(): void;
}

export class PresenceRelay implements RoomObserver {
  private readonly node = randomBytes(6).toString('hex');
  private said = 0;
  private readonly rooms = new Map<string, Watched>();
  private readonly reassembly = new Reassembly();
  /** Messages waiting for the statement in flight; the next one carries them all. */
  private waiting: string[][] = [];
  private sending = false;

  constructor(
    private readonly publish: (payloads: readonly string[]) => Promise<void>,
    private readonly log: Logger,
  ) {}

  attach(room: IncidentRoom): void {
    const remote = new Set<number>();
    const onUpdate = ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      for (const c of removed) remote.delete(c);
      if (origin === RELAYED) {
        for (const c of [...added, ...updated]) remote.add(c);
        return;
      }
      // Each node times out what it was told on its own.
      if (origin === 'timeout') return;
      const local = [...added, ...updated, ...removed].filter((c) => !remote.has(c));
      if (local.length > 0) this.say({ t: 'update', i: room.id, u: this.encode(room, local) });
    };
    room.awareness.on('update', onUpdate);
    this.rooms.set(room.id, { room, remote, stop: () => room.awareness.off('update', onUpdate) });
    this.say({ t: 'query', i: room.id });
  }

  detach(room: IncidentRoom): void {
    const watched = this.rooms.get(room.id);
    if (watched?.room !== room) return;
    watched.stop();
    this.rooms.delete(room.id);
  }

  /** One notification from the channel. */
  hear(payload: string): void {
    const whole = this.reassembly.hear(payload);
    if (!whole || whole.node === this.node) return;
    let message: Message;
    try {
      message = JSON.parse(whole.text) as Message;
    } catch {
      return void this.log.warn('a presence relay message could not be read');
    }
    const watched = this.rooms.get(message.i);
    if (!watched) return;
    const { room, remote } = watched;
    if (message.t === 'query') {
      const mine = [...room.awareness.getStates().keys()].filter(
        (c) => c !== room.awareness.clientID && !remote.has(c),
      );
      if (mine.length > 0) this.say({ t: 'update', i: room.id, u: this.encode(room, mine) });
      return;
    }
    try {
      applyAwarenessUpdate(room.awareness, Buffer.from(message.u, 'base64'), RELAYED);
    } catch (err) {
      this.log.warn({ err, incident: room.id }, 'a relayed presence could not be applied');
    }
  }

  private encode(room: IncidentRoom, clients: number[]): string {
    return Buffer.from(encodeAwarenessUpdate(room.awareness, clients)).toString('base64');
  }

  private say(message: Message): void {
    this.waiting.push(toParts(this.node, ++this.said, JSON.stringify(message)));
    if (!this.sending) void this.send();
  }

  /** Sends what waits, whole messages at a time, one statement after another. */
  private async send(): Promise<void> {
    this.sending = true;
    while (this.waiting.length > 0) {
      const batch: string[] = [];
      while (this.waiting.length > 0 && batch.length < 64) batch.push(...(this.waiting.shift() ?? []));
      await this.publish(batch).catch((err: unknown) => this.log.debug({ err }, 'presence relay failed'));
    }
    this.sending = false;
  }
}
