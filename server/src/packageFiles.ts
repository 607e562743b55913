// The files sitrep reads from its own installation at run time: the SQL migrations, the built
// dashboard, the executable that `sitrep init` writes into a project's hooks, package.json (the
// version). Two layouts hold them. From source (tsx, the tests) they are in the repository; in
// the installed package that scripts/package.ts builds, every module is bundled into dist/, one
// folder below the package's root, which holds migrations/, web/dist/ and bin/. esbuild defines
// SITREP_BUNDLED in the bundle; from source it is not defined. Imports only node:fs, so a
// client command may use it. Two kinds of file are found beside their module instead, in both
// layouts: the worker threads' bodies (server/src/worker/WorkerThread.ts) and the report's
// stylesheet (server/src/export/html.ts), which scripts/package.ts puts beside the bundle.
import { readFileSync } from 'node:fs';

declare const SITREP_BUNDLED: boolean | undefined;

/** True when running from the bundle in the installed package. */
export const bundled = typeof SITREP_BUNDLED !== 'undefined' && SITREP_BUNDLED;

/** The repository's root from source (this file is server/src/packageFiles.ts), the package's root in the bundle. */
const root = new URL(bundled ? '../' : '../../', import.meta.url);

export const packageFiles = {
  migrations: new URL('migrations/', root),
  dashboard: new URL('web/dist/', root),
  executable: new URL(bundled ? 'bin/sitrep.js' : 'server/bin/sitrep.js', root),
  packageJson: new URL('package.json', root),
};

let version: string | undefined;

/** This installation's version, as its package.json says (read once). */
export function packageVersion(): string {
  if (version === undefined) {
    const json: unknown = JSON.parse(readFileSync(packageFiles.packageJson, 'utf8'));
    const found = json && typeof json === 'object' && 'version' in json ? json.version : undefined;
    if (typeof found !== 'string') throw new Error(`${packageFiles.packageJson.pathname} has no version`);
    version = found;
  }
  return version;
}
