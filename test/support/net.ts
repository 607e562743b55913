// Loopback networking for tests: free ports, and a proxy whose clients can lose their network.
import { type Socket, connect, createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A TCP proxy to 127.0.0.1:`target` whose `drop` closes every client's side while the server's
 * side stays open, as after a network that went away: the server learns of it only when a ping
 * goes unanswered (or `reap` closes those sides). The client hears of it at once (after a real
 * outage, only when its own timeout ends), so it reconnects at once.
 */
export interface DroppingProxy {
  port: number;
  drop(): void;
  reap(): void;
  close(): Promise<void>;
}

export async function droppingProxy(target: number): Promise<DroppingProxy> {
  const live = new Map<Socket, Socket>();
  const dropped: Socket[] = [];
  const srv = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    live.set(client, upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    // A client gone on its own takes its server side with it; a dropped one does not.
    const forget = () => {
      if (live.get(client) !== upstream) return;
      live.delete(client);
      upstream.destroy();
    };
    client.on('error', forget).on('close', forget);
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const addr = srv.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : 0,
    drop() {
      for (const [client, upstream] of live) {
        upstream.unpipe(client);
        client.unpipe(upstream);
        upstream.resume(); // what the server sends now goes nowhere
        client.destroy();
        dropped.push(upstream);
      }
      live.clear();
    },
    reap() {
      for (const upstream of dropped.splice(0)) upstream.destroy();
    },
    async close() {
      for (const [client, upstream] of live) {
        client.destroy();
        upstream.destroy();
      }
      for (const upstream of dropped.splice(0)) upstream.destroy();
      await new Promise((r) => srv.close(r));
    },
  };
}
