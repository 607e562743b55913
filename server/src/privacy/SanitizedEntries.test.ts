// The gate and the sanitizer on every write: a batch the HTTP path sanitized reaches the room
// without a second scan for secrets, and nothing else does (not a plain batch, a look-alike, a
// sealed batch changed after its scan or sealed for another incident or policy, nor entries
// with a key the sanitizer did not read). A room against an update log in memory; no server.
import { type Entry, SitrepError, newEntryId, readEntries } from '@sitrep/shared';
import { DEFAULT_POLICY, newIncidentKey, withAllowances } from '@sitrep/shared/sanitizer';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryLog } from '../../../test/support/memoryLog.js';
import * as refusals from '../gate/refusals.js';
import { createLogger } from '../log.js';
import { Metrics } from '../metrics.js';
import { IncidentRoom } from '../room/IncidentRoom.js';
import { RoomPolicy } from '../room/RoomPolicy.js';
import { IncidentPrivacy } from './IncidentPrivacy.js';
import { SanitizedEntries } from './SanitizedEntries.js';

vi.mock('../gate/refusals.js', { spy: true });

const ID = 'inc-sealed';
// A GitHub token by its documented layout: ghp_ and 36 base62 characters.
const SECRET = `ghp_${'x7Kq2'.repeat(7)}a`;
const KEY = newIncidentKey();
const author = { id: 'ana', name: 'Ana', kind: 'human' } as const;
const entry = (body: string): Entry => ({
  v: 1,
  id: newEntryId(),
  kind: 'finding',
  body,
  author,
  at: new Date().toISOString(),
});

let log: MemoryLog;
let allowances: ('email' | 'phone')[];
const privacy = () =>
  new IncidentPrivacy(
    {
      privacy: {
        of: async (id) => (id === ID ? { key: KEY, allowances } : null),
        setAllowances: async () => null,
      },
      audit: log.audit,
    },
    DEFAULT_POLICY,
  );
const room = () =>
  IncidentRoom.load(
    ID,
    log,
    createLogger('silent'),
    new Metrics(),
    1_000,
    new RoomPolicy(
      async () => ({ policy: withAllowances(DEFAULT_POLICY, allowances), key: KEY }),
      DEFAULT_POLICY,
    ),
  );
const scans = () => vi.mocked(refusals.refuseEntries).mock.calls.length;
const refusedAsSecret = (p: Promise<unknown>) =>
  expect(p).rejects.toSatisfy((e) => e instanceof SitrepError && e.code === 'gate.secret');

beforeEach(() => {
  log = new MemoryLog().create(ID);
  allowances = [];
  vi.mocked(refusals.refuseEntries).mockClear();
});

describe('sanitized entries', () => {
  it('reach the room sealed, redacted, and are not scanned a second time', async () => {
    const r = await room();
    const out = await privacy().sanitizeEntries(ID, [entry(`token ${SECRET} for ana@example.com`)], 'tok');
    expect(out.sealed).not.toBeNull();
    await r.appendEntries(out.sealed ?? [], 'responder');
    expect(scans()).toBe(0);
    const [stored] = readEntries(r.doc);
    expect(stored?.body).not.toContain(SECRET);
    expect(stored?.body).not.toContain('ana@example.com');
  });

  it('a plain batch is scanned, and one holding a secret refused', async () => {
    const r = await room();
    await refusedAsSecret(r.appendEntries([entry(`token ${SECRET}`)], 'responder'));
    expect(scans()).toBe(1);
    expect(log.rows(ID)).toHaveLength(0);
  });

  it('a look-alike of a sealed batch is scanned, and refused', async () => {
    const r = await room();
    const fake = Object.create(SanitizedEntries.prototype, {
      incidentId: { value: ID },
      policy: { value: DEFAULT_POLICY },
      entries: { value: [entry(`token ${SECRET}`)] },
    }) as SanitizedEntries;
    await refusedAsSecret(r.appendEntries(fake, 'responder'));
    expect(log.rows(ID)).toHaveLength(0);
  });

  it('a sealed batch cannot be changed after its scan', async () => {
    const { sealed } = await privacy().sanitizeEntries(ID, [entry('clean')], 'tok');
    const entries = sealed?.entries as Entry[];
    expect(() => {
      (entries[0] as Entry).body = `token ${SECRET}`;
    }).toThrow(TypeError);
    expect(() => entries.push(entry(`token ${SECRET}`))).toThrow(TypeError);
    expect(() => {
      (entries[0] as Entry).author.name = SECRET;
    }).toThrow(TypeError);
  });

  it('a batch sealed for another incident, or under another policy than the room holds now, is scanned', async () => {
    const r = await room();
    const other = await SanitizedEntries.sanitize('inc-other', [entry('clean')], {
      key: KEY,
      policy: DEFAULT_POLICY,
    });
    await r.appendEntries(other.sealed ?? [], 'responder');
    expect(scans()).toBe(1);
    // Sealed while email was allowed, appended after the allowance was withdrawn.
    allowances = ['email'];
    const loose = await privacy().sanitizeEntries(ID, [entry('clean')], 'tok');
    allowances = [];
    await r.refreshPolicy();
    await r.appendEntries(loose.sealed ?? [], 'responder');
    expect(scans()).toBe(2);
  });

  it('entries with a key that is no entry field are not sealed: the room scans keys too', async () => {
    const r = await room();
    const odd = { ...entry('clean'), author: { ...author, [SECRET]: 'x' } } as Entry;
    const out = await privacy().sanitizeEntries(ID, [odd], 'tok');
    expect(out.sealed).toBeNull();
    await refusedAsSecret(r.appendEntries(out.sealed ?? out.entries, 'responder'));
  });
});
