// The websocket endpoint: upgrades `GET /yjs/:incidentId` on the HTTP server into a connection
// in that incident's room. Unknown paths and incidents are refused before the upgrade.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { IncidentId, SitrepError } from '@sitrep/shared';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { RoomRegistry } from '../room/RoomRegistry.js';
import { Connection } from './Connection.js';
import { RoomChannel } from './RoomChannel.js';

/** The largest frame a client may send; a larger one closes its socket (1009). */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

export class SyncServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly channels = new Map<string, RoomChannel>();

  constructor(
    private readonly rooms: RoomRegistry,
    private readonly log: Logger,
  ) {}

  attach(server: Server): void {
    server.on('upgrade', (req, socket, head) => {
      this.upgrade(req, socket, head).catch((err: unknown) => {
        this.log.error({ err }, 'upgrade failed');
        reject(socket, 500, 'Internal Server Error');
      });
    });
  }

  get connections(): number {
    return this.wss.clients.size;
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = /^\/yjs\/([^/]+)$/.exec(url.pathname);
    if (!match?.[1]) return reject(socket, 404, 'Not Found');
    const id = IncidentId.safeParse(decodeURIComponent(match[1]));
    if (!id.success) return reject(socket, 400, 'Bad Request');
    let room;
    try {
      room = await this.rooms.open(id.data);
    } catch (err) {
      if (err instanceof SitrepError && err.code === 'incident.not_found') return reject(socket, 404, 'Not Found');
      throw err;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      let channel = this.channels.get(room.id);
      if (!channel) this.channels.set(room.id, (channel = new RoomChannel(room)));
      // Until tokens exist every socket writes as a commander: entries, meta and curation.
      new Connection(ws, channel, 'commander', this.log.child({ incident: room.id }));
    });
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.close(1001, 'server shutting down');
    for (const channel of this.channels.values()) channel.detach();
    this.channels.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

function reject(socket: Duplex, status: number, text: string): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}
