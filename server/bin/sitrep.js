#!/usr/bin/env node
// The sitrep executable: runs the TypeScript CLI through tsx, without a build step.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/cli/main.ts');
await run(process.argv.slice(2));
