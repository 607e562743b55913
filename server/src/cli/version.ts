// `sitrep version` (also `--version`, `-V`): the version of this installation, as its package.json
// says (the repository's from source, the package's when installed).
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { packageFiles } from '../packageFiles.js';
import { type Command, parse } from './args.js';

const version: Command = async (argv) => {
  parse(argv, {});
  const { version } = z
    .object({ version: z.string() })
    .parse(JSON.parse(await readFile(packageFiles.packageJson, 'utf8')));
  console.log(version);
};
export default version;
