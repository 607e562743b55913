// `sitrep version` (also `--version`, `-V`): the version of this installation, as its package.json
// says (the repository's from source, the package's when installed).
import { packageVersion } from '../packageFiles.js';
import { type Command, parse } from './args.js';

const version: Command = async (argv) => {
  parse(argv, {});
  console.log(packageVersion());
};
export default version;
