// `sitrep init claude-code` run from a checkout (the sources, as `node server/bin/sitrep.js`):
// the hooks and the MCP server it writes start the checkout's executable. The installed package's
// layout is checked by test/integration/package.test.ts, the bundle's by harness.test.ts.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { initClaudeCode } from './init.js';

const CHECKOUT_BIN = fileURLToPath(new URL('../../bin/sitrep.js', import.meta.url));

describe('sitrep init claude-code from a checkout', () => {
  let dir = '';
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("points the hooks and the MCP server at the checkout's own executable", async () => {
    dir = await mkdtemp(join(tmpdir(), 'sitrep-init-'));
    await initClaudeCode({
      dir,
      url: 'http://127.0.0.1:1',
      incident: 'inc-1',
      author: { id: 'dave', name: 'Dave', kind: 'human' },
      stateDir: join(dir, 'state'),
    });
    expect(existsSync(CHECKOUT_BIN)).toBe(true);
    const mcp = JSON.parse(await readFile(join(dir, '.mcp.json'), 'utf8')) as {
      mcpServers: { sitrep?: { command?: string; args?: string[] } };
    };
    expect(mcp.mcpServers.sitrep).toEqual({ command: process.execPath, args: [CHECKOUT_BIN, 'mcp'] });
    const settings = await readFile(join(dir, '.claude', 'settings.json'), 'utf8');
    for (const event of ['SessionStart', 'UserPromptSubmit', 'Stop'])
      expect(settings).toContain(`\\"${CHECKOUT_BIN}\\" hook ${event}`);
  });
});
