// What a command reads besides its arguments: a file named on the command line, or stdin for
// `-`, and JSON in it; a file that cannot be read or parsed is a usage error naming it.
import { readFile } from 'node:fs/promises';
import { usage } from './args.js';

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The text of `file`, or of stdin when it is `-`. */
export async function readInput(file: string): Promise<string> {
  if (file === '-') return readStdin();
  return readFile(file, 'utf8').catch((e: Error) => {
    throw usage(`cannot read ${file}: ${e.message}`);
  });
}

/** `text`, read from `file`, as JSON. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw usage(`${file === '-' ? 'stdin' : file} is not valid JSON`);
  }
}
