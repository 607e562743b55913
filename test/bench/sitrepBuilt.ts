// The `sitrep` executable the benchmarks start: the package's bundle and executable
// (scripts/package.ts buildLinked), built once per `pnpm bench`, as an installed sitrep runs it.
// The sources through tsx (server/bin/sitrep.js) cost the process a loader thread, transforms and
// renamed closures that no user pays; `FANOUT_SERVERS=sitrep-source` still races them, to compare.
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLinked } from '../../scripts/package.js';

/** The executable's path in the source tree (run through tsx). */
export const SITREP_SOURCE = 'server/bin/sitrep.js';

let built: Promise<string> | undefined;

/** The bundled executable's path, built on the first call; removed as the process exits. */
export function sitrepBuilt(): Promise<string> {
  built ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sitrep-bench-build-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    return buildLinked(join(dir, 'sitrep'));
  })();
  return built;
}
