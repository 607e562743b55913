// `sitrep hook <event>`: a Claude Code hook, the hook's JSON on stdin. It takes no flags and
// never blocks the harness: the exit code is the hook's outcome.
import { runHook } from '../harness/hooks.js';
import type { Command } from './args.js';
import { readStdin } from './input.js';

const hook: Command = async ([event = '']) => {
  const input = process.stdin.isTTY ? '' : readStdin();
  // An unknown event is answered without reading stdin; the read that stops is then no error.
  if (typeof input !== 'string') input.catch(() => {});
  const outcome = await runHook(event, input);
  process.stdin.destroy(); // a harness that never closes stdin must not keep the hook running
  if (outcome.stdout) process.stdout.write(`${outcome.stdout}\n`);
  if (outcome.stderr) process.stderr.write(`${outcome.stderr}\n`);
  return outcome.code;
};
export default hook;
