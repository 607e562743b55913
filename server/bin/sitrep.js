#!/usr/bin/env node
// The sitrep executable: runs the TypeScript CLI through tsx, without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
