import { entriesMap, metaMap } from '@sitrep/shared';
import * as sanitizer from '@sitrep/shared/sanitizer';
import { DEFAULT_POLICY, withAllowances } from '@sitrep/shared/sanitizer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { makeEntry } from '../../../test/support/clients.js';
import { exportDocumentOf } from '../export/exportDocument.js';
import { checkImport } from './importIncident.js';
import { jsonText } from '../store/logWrites.js';

// A GitHub token by its documented layout: ghp_ and 36 base62 characters.
const SECRET = `ghp_${'x7Kq2'.repeat(7)}a`;
const EMAIL = 'jane.doe@example.com';

/** The bytes of a JSON export holding these entry bodies. */
function exported(...bodies: string[]): Uint8Array {
  const doc = new Y.Doc();
  const meta = {
    title: 'imported',
    severity: 'SEV2',
    status: 'investigating',
    kind: 'incident',
    createdAt: '2026-12-01T10:00:00.000Z',
  };
  for (const [k, v] of Object.entries(meta)) metaMap(doc).set(k, v);
  for (const body of bodies) {
    const e = makeEntry('finding', { body });
    entriesMap(doc).set(e.id, e);
  }
  return new TextEncoder().encode(JSON.stringify(exportDocumentOf('source', doc)));
}

/** The bodies of the entries its statements write (logWrites.ts: each row's entries under `e`). */
const bodies = (checked: Awaited<ReturnType<typeof checkImport>>) =>
  checked.statements.flatMap((s) =>
    (JSON.parse(jsonText(s)) as { e: { body: string }[] }[]).flatMap((row) => row.e.map((e) => e.body)),
  );

describe('import check', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('scans an import the gate would take as it is once, and writes it as it came', async () => {
    const sanitize = vi.spyOn(sanitizer, 'sanitizeValue');
    const scan = vi.spyOn(sanitizer, 'firstRefusal');
    const checked = await checkImport(
      exported('p99 up after deploy 4f2a9c1', 'rollback done'),
      'x',
      DEFAULT_POLICY,
    );
    expect(bodies(checked)).toEqual(['p99 up after deploy 4f2a9c1', 'rollback done']);
    expect([scan.mock.calls.length, sanitize.mock.calls.length]).toEqual([1, 0]);
  });

  it('keeps a type the policy allows and redacts the rest and every secret', async () => {
    const policy = withAllowances(DEFAULT_POLICY, ['email']);
    const checked = await checkImport(
      exported(`mail ${EMAIL}`, `token ${SECRET} or call +1 415 555 0132`),
      'x',
      policy,
    );
    const [kept, redacted] = bodies(checked);
    expect(kept).toBe(`mail ${EMAIL}`);
    expect(redacted).toMatch(/^token \[REDACTED:[^\]]+\] or call \[phone-[0-9a-f]{6}\]$/);
    expect(checked.redactions).toEqual({ secret: 1, phone: 1 });
  });

  it('refuses a secret the redactor missed: what was sanitized passes the gate again', async () => {
    // A redactor that finds the phone and misses the secret beside it.
    vi.spyOn(sanitizer, 'sanitizeEntries').mockImplementation(async (drafts) => ({
      entries: [...drafts],
      counts: { phone: 1 },
      refused: null,
    }));
    await expect(
      checkImport(exported(`token ${SECRET} or call +1 415 555 0132`), 'x', DEFAULT_POLICY),
    ).rejects.toMatchObject({ code: 'gate.secret' });
  });
});
