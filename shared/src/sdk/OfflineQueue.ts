// The Node SDK's offline queue: entries waiting to be durable, one file per entry in a directory
// (written to a temporary name, synced, then renamed, so a crash never leaves half an entry).
// Several processes may share it: adding never rewrites another's file, and a flush deletes only
// the files of entries the server has acknowledged. Ids are fixed before an entry is queued and
// the server is idempotent by id, so a flush cut short and run again never duplicates one.
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Entry } from '../entry.js';

export class OfflineQueue {
  constructor(readonly dir: string) {}

  async add(entries: readonly Entry[]): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    for (const e of entries) {
      const tmp = join(this.dir, `.${e.id}.${process.pid}.tmp`);
      const handle = await open(tmp, 'w', 0o600);
      try {
        await handle.writeFile(JSON.stringify(e));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, join(this.dir, `${e.id}.json`));
    }
  }

  /** Queued entries in id order; a file that does not parse as an entry is set aside. */
  async pending(): Promise<Entry[]> {
    const names = (await readdir(this.dir).catch(() => [] as string[]))
      .filter((n) => n.endsWith('.json'))
      .sort();
    const out: Entry[] = [];
    for (const name of names) {
      const text = await readFile(join(this.dir, name), 'utf8').catch(() => null);
      let value: unknown = null;
      try {
        value = text === null ? null : JSON.parse(text);
      } catch {
        value = null;
      }
      const parsed = Entry.safeParse(value);
      if (parsed.success) out.push(parsed.data);
      else if (text !== null)
        await rename(join(this.dir, name), join(this.dir, `${name}.bad`)).catch(() => {});
    }
    return out;
  }

  /** Sets aside entries the server refused for what they are: retrying would not help. */
  async reject(ids: Iterable<string>): Promise<void> {
    for (const id of ids)
      await rename(join(this.dir, `${id}.json`), join(this.dir, `${id}.json.rejected`)).catch(() => {});
  }

  async remove(ids: Iterable<string>): Promise<void> {
    for (const id of ids) await rm(join(this.dir, `${id}.json`), { force: true });
  }
}
