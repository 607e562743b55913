import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Every module a worker body loads when it starts: its bundle's inputs. */
async function modulesOf(entry: string): Promise<string[]> {
  const { metafile } = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(metafile.inputs);
}

describe('the snapshot worker', () => {
  // Its thread starts at the first snapshot of a live incident, in the middle of the load: each
  // module it loads is parsed, run and compiled there (shared's whole index with its schemas
  // was about 0.5 s of CPU and a hundred compiles on V8's threads, docs/benchmarks-log.md).
  it('loads Yjs, its codec and the job messages, none of the schemas', async () => {
    const modules = await modulesOf('server/src/room/snapshotWorker.ts');
    const shared = modules.filter((m) => m.startsWith('shared/'));
    expect(shared).toEqual(['shared/src/error.ts']);
    expect(modules.filter((m) => /node_modules\/(zod|@secretlint|libphonenumber-js)\//.test(m))).toEqual([]);
    expect(modules).toContain('server/src/worker/jobMessages.ts');
  });
});
