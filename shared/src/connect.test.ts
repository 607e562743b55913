import { describe, expect, it } from 'vitest';
import { HARNESSES, claudeCodeSettings, harnessSetup, tokenExport } from './connect.js';

const target = { server: 'https://sitrep.example.com/', incident: 'checkout-latency-7k2q' };

describe('harness setup', () => {
  it('points every URL at the server without a doubled slash', () => {
    for (const h of HARNESSES)
      for (const f of harnessSetup(h, target).files) expect(f.text).not.toContain('example.com//');
    expect(claudeCodeSettings(target).env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('https://sitrep.example.com');
  });

  it('writes the token only in the export line, quoted for the shell', () => {
    expect(tokenExport('sitrep_abc_d-e').text).toBe("export SITREP_TOKEN='sitrep_abc_d-e'\n");
    expect(tokenExport()).toMatchObject({ text: 'export SITREP_TOKEN=<token>\n', secret: false });
    for (const h of HARNESSES) for (const f of harnessSetup(h, target).files) expect(f.secret).toBe(false);
  });
});
