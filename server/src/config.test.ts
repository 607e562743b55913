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
    for (const bad of ['0', '1.5', 'often'])
      expect(() => loadConfig({ SITREP_SYNC_REQUESTS_PER_MINUTE: bad })).toThrow(
        /SITREP_SYNC_REQUESTS_PER_MINUTE/,
      );
  });

  it('paces sync requests at 30 a minute per socket unless told', () => {
    expect(loadConfig({}).limits.syncRequestsPerMinute).toBe(30);
    expect(loadConfig({ SITREP_SYNC_REQUESTS_PER_MINUTE: '600' }).limits.syncRequestsPerMinute).toBe(600);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', SITREP_PORT: '' })).toMatchObject({
      databaseUrl: undefined,
      port: 8787,
    });
  });

  it('reads the privacy policy as type=action pairs or JSON, redacting what it does not name', () => {
    expect(loadConfig({}).privacy).toEqual({
      email: 'redact',
      phone: 'redact',
      card: 'redact',
      iban: 'redact',
      ssn: 'redact',
      nino: 'redact',
    });
    expect(loadConfig({ SITREP_PRIVACY_POLICY: 'email=allow, card=refuse' }).privacy).toMatchObject({
      email: 'allow',
      card: 'refuse',
      phone: 'redact',
    });
    expect(loadConfig({ SITREP_PRIVACY_POLICY: '{"ssn":"refuse"}' }).privacy).toMatchObject({
      ssn: 'refuse',
      email: 'redact',
    });
  });

  it('stops on a privacy policy it cannot read, naming the variable', () => {
    for (const bad of [
      'email=hide',
      'mail=redact',
      'email',
      '{"card":',
      '{"card":"drop"}',
      'email=redact=x',
    ]) {
      expect(() => loadConfig({ SITREP_PRIVACY_POLICY: bad }), bad).toThrow(/SITREP_PRIVACY_POLICY/);
    }
  });

  it('prices models at the list prices, with SITREP_MODEL_PRICES over them', () => {
    expect(loadConfig({}).prices['claude-sonnet']).toMatchObject({ input: 3, output: 15 });
    const mine = { input: 2, output: 10, cacheRead: 0.2, cacheCreation: 2.5 };
    const prices = loadConfig({
      SITREP_MODEL_PRICES: JSON.stringify({ 'claude-sonnet': mine, 'local-llama': mine }),
    }).prices;
    expect(prices['claude-sonnet']).toEqual(mine);
    expect(prices['local-llama']).toEqual(mine);
    expect(prices['claude-opus']).toMatchObject({ input: 5 });
  });

  it('stops on a price table it cannot read, naming the variable', () => {
    for (const bad of [
      '{',
      '{"claude-sonnet":{"input":3}}',
      '{"Claude":{"input":1,"output":1,"cacheRead":0,"cacheCreation":0}}',
    ])
      expect(() => loadConfig({ SITREP_MODEL_PRICES: bad }), bad).toThrow(/SITREP_MODEL_PRICES/);
  });
});
