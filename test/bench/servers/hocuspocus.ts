// Hocuspocus 3 with its defaults and no extensions (in memory, no persistence), for the fan-out
// benchmark: `node --import tsx hocuspocus.ts <port>`.
import { Server } from '@hocuspocus/server';

const server = new Server({
  port: Number(process.argv[2]),
  address: '127.0.0.1',
  quiet: true,
  stopOnSignals: true,
});
await server.listen();
process.stdout.write('listening\n');
