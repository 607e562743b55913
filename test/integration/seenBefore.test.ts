// "Seen before" in the brief, end to end: a theory rejected in a past incident shows as "rejected
// before", with its rationale, in the brief of a new incident where the same theory is open, over
// HTTP, through `sitrep brief` and through the real MCP client; the past incidents come with the
// reader's own visibility (a private one to nobody else, none to an isolated token); and nothing
// of them is written into the new incident's document or views. `sitrep` is the CLI bundled once
// for the run (test/support/cli.ts): what is tested is what it does.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ApiClient, type Entry, newEntryId } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv } from '../support/childEnv.js';
import { SITREP_BUILT, runCli } from '../support/cli.js';
import { makeEntry } from '../support/clients.js';
import { BACKENDS, type Fixture, startFixture } from '../support/server.js';

const DAY = 86_400_000;
const RATIONALE =
  'Reason is OOMKilled, not Evicted: the container hit its own limit and the nodes had 40% free';
const PRIVATE_RATIONALE = 'Kubelet showed no eviction at all during the notif-sender restarts';

/** A past incident's entries, written a month ago: a rejected theory, the confirmed cause, a decision. */
function pastEntries(rationale: string, daysAgo: number): { entries: Entry[]; rejected: Entry } {
  let t = Date.now() - daysAgo * DAY;
  const at = () => {
    t += 60_000;
    return { id: newEntryId(t), at: new Date(t).toISOString() };
  };
  const finding = makeEntry('finding', {
    ...at(),
    body: 'notif-sender pods restart every few minutes: Reason: OOMKilled, exit code 137; pushes delayed.',
  });
  const rejected = makeEntry('theory', {
    ...at(),
    title: 'Node memory pressure is evicting the notif-sender pods',
    body: 'Several notif-sender pods on the same nodes restarted.',
  });
  const rejection = makeEntry('rejection', {
    ...at(),
    body: 'Checked kubelet.',
    refs: [rejected.id],
    rationale,
  });
  const cause = makeEntry('theory', {
    ...at(),
    title: 'Unbounded template cache in notif-sender grows until OOMKilled',
    body: 'Heap grows from start to the memory limit.',
  });
  const confirm = makeEntry('decision', {
    ...at(),
    title: 'Roll back notif-sender to 4.11',
    body: 'The template cache is the cause.',
    refs: [cause.id],
    tags: ['confirms'],
    rationale: 'The heap dump is all template cache; 4.11 has none.',
  });
  return { entries: [finding, rejected, rejection, cause, confirm], rejected };
}

describe.each(BACKENDS)('the brief says what was seen before (%s)', (backend) => {
  let f: Fixture;
  let past: string;
  let secret: string;
  let here: string;
  let rejected: Entry;
  let open: Entry;
  const as = async (incidentId: string) =>
    (await f.api.createToken({ role: 'responder', label: 'harness', incidentId })).token;
  const isolatedTo = async (incidentId: string) =>
    (await f.api.createToken({ role: 'responder', label: 'outside harness', incidentId, isolated: true }))
      .token;

  beforeAll(async () => {
    f = await startFixture(backend);
    const old = pastEntries(RATIONALE, 30);
    rejected = old.rejected;
    past = (
      await f.api.createIncident({
        title: 'Push notifications delayed: notif-sender OOMKilled',
        status: 'resolved',
      })
    ).incident.id;
    await f.api.appendEntries(past, { entries: old.entries });
    // A private incident (security) of the same kind: nobody outside it may hear of it.
    secret = (
      await f.api.createIncident({
        title: 'notif-sender OOMKilled under load',
        status: 'resolved',
        private: true,
      })
    ).incident.id;
    await f.api.appendEntries(secret, { entries: pastEntries(PRIVATE_RATIONALE, 20).entries });

    here = (await f.api.createIncident({ title: 'notif-sender restarting, pushes late' })).incident.id;
    open = makeEntry('theory', {
      title: 'notif-sender pods evicted because of node memory pressure',
      body: 'The restarts cluster on two nodes.',
    });
    await f.api.appendEntries(here, {
      entries: [
        makeEntry('finding', {
          body: 'notif-sender pods OOMKilled (exit code 137) every few minutes since 09:10.',
        }),
        open,
      ],
    });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('lists the past rejection of a theory open here, with its rationale, and the past cause', async () => {
    const api = new ApiClient(f.server.url, { token: await as(here) });
    const { brief, markdown } = await api.brief(here, { maxTokens: 4_000 });
    expect(brief.rejectedBefore).toEqual([
      expect.objectContaining({ id: rejected.id, why: RATIONALE, incident: past, matches: open.id }),
    ]);
    expect(brief.seenBefore.map((s) => s.id)).toEqual([past]);
    expect(brief.seenBefore[0]?.why).toContain('Unbounded template cache');
    expect(markdown).toContain('## Rejected before');
    expect(markdown).toContain(RATIONALE);
    // The same past incidents as the related route answers for this token.
    expect((await api.related(here)).related.map((r) => r.incident.id)).toEqual([past]);
  });

  it('never tells a reader of a private incident it may not read, nor an isolated token anything', async () => {
    const admin = await f.api.brief(here, { maxTokens: 4_000 });
    expect(admin.brief.seenBefore.map((s) => s.id).sort()).toEqual([past, secret].sort());
    expect(admin.markdown).toContain(PRIVATE_RATIONALE);

    const scoped = await new ApiClient(f.server.url, { token: await as(here) }).brief(here, {
      maxTokens: 4_000,
    });
    expect(JSON.stringify(scoped)).not.toContain(secret);
    expect(scoped.markdown).not.toContain(PRIVATE_RATIONALE);

    const isolated = await new ApiClient(f.server.url, { token: await isolatedTo(here) }).brief(here, {
      maxTokens: 4_000,
    });
    expect([isolated.brief.seenBefore, isolated.brief.rejectedBefore]).toEqual([[], []]);
    expect(isolated.markdown).not.toMatch(/seen before|rejected before/i);
    expect(isolated.brief.rejected).toEqual([]); // its own incident's brief is whole
    expect(isolated.brief.open.map((o) => o.id)).toEqual([open.id]);
  });

  it('writes nothing of the past incidents into this incident: document, views and export', async () => {
    await f.api.brief(here, { maxTokens: 4_000 });
    const exported = await f.api.exportIncident(here, 'json');
    const view = JSON.stringify(await f.api.view(here));
    const entries = JSON.stringify(await f.api.listEntries(here, { limit: 100 }));
    for (const text of [exported, view, entries]) {
      expect(text).not.toContain(RATIONALE);
      expect(text).not.toContain(rejected.id);
      expect(text).not.toContain(past);
    }
  });

  if (backend === 'pglite')
    describe('through the harnesses', () => {
      let state: string;
      let env: Record<string, string>;
      beforeAll(async () => {
        state = await mkdtemp(join(tmpdir(), 'sitrep-seen-before-'));
        env = {
          SITREP_URL: f.server.url,
          SITREP_TOKEN: await as(here),
          SITREP_INCIDENT: here,
          SITREP_STATE_DIR: state,
          SITREP_AUTHOR_ID: 'claude-seen-before',
          SITREP_AUTHOR_NAME: 'Claude (Ana)',
        };
      });
      afterAll(async () => {
        await rm(state, { recursive: true, force: true });
      });

      it('sitrep brief prints the rejection from the past incident', async () => {
        const r = await runCli(['brief', here, '--all'], { env });
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout).toContain('Rejected before');
        expect(r.stdout).toContain(RATIONALE);
        expect(r.stdout).toContain(past);
      });

      it('the MCP get_brief tool says it too', async () => {
        const client = new Client({ name: 'sitrep-test', version: '1.0.0' });
        await client.connect(
          new StdioClientTransport({
            command: process.execPath,
            args: [SITREP_BUILT, 'mcp'],
            env: childEnv(env),
            stderr: 'pipe',
          }),
        );
        try {
          const r = await client.callTool({ name: 'get_brief', arguments: {} });
          const text = (r as { content?: { text?: string }[] }).content?.[0]?.text ?? '';
          expect(text).toContain('Rejected before');
          expect(text).toContain(RATIONALE);
          expect(text).not.toContain(PRIVATE_RATIONALE);
        } finally {
          await client.close();
        }
      });
    });
});
