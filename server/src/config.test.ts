import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('config', () => {
  it('defaults to loopback, port 8787 and embedded storage', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8787, dataDir: './.sitrep', databaseUrl: undefined });
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ SITREP_PORT: 'eighty' })).toThrow(/SITREP_PORT/);
    expect(() => loadConfig({ SITREP_PORT: '70000' })).toThrow(/SITREP_PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ ANTHROPIC_BASE_URL: 'not a url' })).toThrow(/ANTHROPIC_BASE_URL/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', SITREP_PORT: '' })).toMatchObject({ databaseUrl: undefined, port: 8787 });
  });
});
