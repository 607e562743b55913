import { describe, expect, it } from 'vitest';
import { OriginPolicy } from './OriginPolicy.js';

const policy = new OriginPolicy({
  bindHost: '127.0.0.1',
  allowedHosts: ['sitrep.internal', '.ops.example.com'],
  allowedOrigins: ['https://console.example.com'],
});
const host = (h: string | undefined) => () => policy.checkHost(h);
const origin =
  (o: string | undefined, h = '127.0.0.1:8787') =>
  () =>
    policy.checkOrigin(o, h);

describe('origin policy', () => {
  it('takes IP literals, localhost and the configured names as the Host', () => {
    for (const h of [
      '127.0.0.1:8787',
      '[::1]:8787',
      '10.1.2.3',
      'localhost:8787',
      'LOCALHOST',
      'sitrep.internal:443',
      'a.ops.example.com',
    ])
      expect(host(h), h).not.toThrow();
  });

  it('refuses any other name, a missing Host and what is not a host (DNS rebinding)', () => {
    for (const h of [
      'evil.example:8787',
      'sitrep.internal.evil.example',
      'ops.example.com.evil',
      'localhost.evil.example',
      '',
      undefined,
      'a b',
      'x@127.0.0.1',
      '127.0.0.1/x',
    ]) {
      expect(host(h), String(h)).toThrow(expect.objectContaining({ code: 'request.host' }));
    }
    expect(() =>
      new OriginPolicy({ bindHost: '0.0.0.0', allowedHosts: ['*'], allowedOrigins: [] }).checkHost(
        'anything.example',
      ),
    ).not.toThrow();
    expect(() =>
      new OriginPolicy({ bindHost: 'sitrep.lan', allowedHosts: [], allowedOrigins: [] }).checkHost(
        'sitrep.lan:8787',
      ),
    ).not.toThrow();
  });

  it("takes no Origin (not a browser), the request's own and the configured ones, and refuses others", () => {
    for (const [o, h] of [
      [undefined, 'x'],
      ['http://127.0.0.1:8787', '127.0.0.1:8787'],
      ['https://console.example.com', '127.0.0.1:8787'],
      ['HTTP://LOCALHOST:8787', 'localhost:8787'],
    ] as const) {
      expect(origin(o, h), String(o)).not.toThrow();
    }
    for (const o of [
      'http://127.0.0.1:9999',
      'http://evil.example',
      'null',
      'not a url',
      'https://console.example.com.evil',
    ]) {
      expect(origin(o), o).toThrow(expect.objectContaining({ code: 'request.origin' }));
    }
  });
});
