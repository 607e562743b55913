// @y/websocket-server 0.1.1 kept in Postgres by y-postgresql 1.0.1, wired as y-postgresql's README
// wires it (the y-websocket default persistence code: a row per update, stored after the update
// is applied and broadcast, not awaited), for the fan-out benchmark:
// `DATABASE_URL=... node --import tsx yWebsocketPostgres.ts <port>`.
import { createServer } from 'node:http';
import { setPersistence, setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';
import { PostgresqlPersistence } from 'y-postgresql';
import * as Y from 'yjs';

const pgdb = await PostgresqlPersistence.build({ connectionString: process.env.DATABASE_URL }, {});

setPersistence({
  provider: pgdb,
  bindState: async (docName: string, ydoc: Y.Doc) => {
    const persisted = await pgdb.getYDoc(docName);
    pgdb.storeUpdate(docName, Y.encodeStateAsUpdate(ydoc));
    Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(persisted));
    ydoc.on('update', (update: Uint8Array) => {
      pgdb.storeUpdate(docName, update);
    });
  },
  writeState: async () => {},
});

const wss = new WebSocketServer({ noServer: true });
wss.on('connection', setupWSConnection);
const server = createServer((_req, res) => res.end('okay'));
server.on('upgrade', (req, socket, head) =>
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
);
server.listen(Number(process.argv[2]), '127.0.0.1', () => process.stdout.write('listening\n'));
