// Hocuspocus 3 for the fan-out benchmark: `node --import tsx hocuspocus.ts <port>` with its
// defaults and no extensions (in memory); with DATABASE_URL, kept in Postgres through
// @hocuspocus/extension-database (its fetch and store written as its README shows: the document's
// whole state in one row, stored after Hocuspocus's debounce, 2 s by default, at most 10 s;
// HOCUSPOCUS_DEBOUNCE=0 stores on every change).
import { Database } from '@hocuspocus/extension-database';
import { Server } from '@hocuspocus/server';
import postgres from 'postgres';

const url = process.env.DATABASE_URL;
const debounce = process.env.HOCUSPOCUS_DEBOUNCE;
const sql = url ? postgres(url, { max: 4, onnotice: () => {} }) : null;
if (sql) await sql`create table if not exists documents (name text primary key, data bytea not null)`;

const server = new Server({
  port: Number(process.argv[2]),
  address: '127.0.0.1',
  quiet: true,
  stopOnSignals: true,
  ...(debounce !== undefined && { debounce: Number(debounce) }),
  extensions: sql
    ? [
        new Database({
          fetch: async ({ documentName }) => {
            const [row] = await sql<
              { data: Buffer }[]
            >`select data from documents where name = ${documentName}`;
            return row ? new Uint8Array(row.data) : null;
          },
          store: async ({ documentName, state }) => {
            await sql`insert into documents (name, data) values (${documentName}, ${state})
              on conflict (name) do update set data = excluded.data`;
          },
        }),
      ]
    : [],
});
await server.listen();
process.stdout.write('listening\n');
