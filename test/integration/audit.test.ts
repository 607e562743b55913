// The audit trail by incident, on PGlite and Postgres: what `sitrep audit --incident` shows of
// the tokens limited to that incident, through the CLI as an admin runs it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { BACKENDS, type Fixture, startFixture } from '../support/server.js';

describe.each(BACKENDS)('audit by incident (%s)', (backend) => {
  let t: Fixture;
  beforeAll(async () => {
    t = await startFixture(backend);
  });
  afterAll(async () => {
    await t.close();
  });

  it("files a token's revocation under its incident, as its creation is", async () => {
    const incident = (await t.api.createIncident({ title: 'scoped token revoked' })).incident.id;
    const { summary } = await t.api.createToken({ role: 'responder', label: 'scoped', incidentId: incident });
    await t.api.revokeToken(summary.id);
    const out = await runCli(['audit', '--incident', incident, '--json'], {
      env: { SITREP_URL: t.server.url, SITREP_TOKEN: t.token },
    });
    expect(out.code).toBe(0);
    const rows = (
      JSON.parse(out.stdout) as { action: string; incidentId: string; detail: { id?: string } }[]
    ).filter((r) => r.detail.id === summary.id);
    expect(rows.map((r) => [r.action, r.incidentId])).toEqual([
      ['token.revoke', incident],
      ['token.create', incident],
    ]);
  });
});
