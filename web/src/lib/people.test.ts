import type { Entry, Presence, TheoryCard } from '@sitrep/shared';
import { describe, expect, it } from 'vitest';
import { people } from './people.js';

const entry = (id: string, author: Entry['author'], at: string): Entry => ({
  v: 1,
  id,
  kind: 'finding',
  body: 'x',
  author,
  at,
});
const priyaCc = { id: 'priya', name: 'Priya Raman', kind: 'harness', harness: 'claude-code' } as const;
const priyaCodex = { id: 'priya', name: 'Priya Raman', kind: 'harness', harness: 'codex' } as const;
const sam = { id: 'sam', name: 'Sam Okafor', kind: 'human' } as const;

describe('people', () => {
  it('makes one row per person, with the harnesses they wrote through and the tabs they have open', () => {
    const entries = [
      entry('01A', priyaCc, '2026-11-24T14:00:00Z'),
      entry('01B', priyaCodex, '2026-11-24T14:05:00Z'),
      entry('01C', sam, '2026-11-24T14:01:00Z'),
    ];
    const theories: TheoryCard[] = [
      { id: '01T', title: 'deploy', state: 'leading', support: [], workers: ['priya'] },
      { id: '01U', title: 'dns', state: 'rejected', support: [], workers: ['priya'] },
    ];
    const presence: Presence[] = [
      { name: 'admin ab12', kind: 'human', role: 'admin', focus: '01T' },
      { name: 'admin ab12', kind: 'human', role: 'admin' },
      { name: 'admin ab12', kind: 'human', role: 'admin', focus: '01T' },
      { name: 'Sam Okafor', kind: 'human', role: 'commander' },
      { name: 'claude', kind: 'harness', authorId: 'priya' },
    ];
    expect(people(entries, theories, presence)).toEqual([
      {
        key: 'priya',
        name: 'Priya Raman',
        online: true,
        tabs: 0,
        sessions: 1,
        harnesses: ['claude-code', 'codex'],
        roles: [],
        focus: [],
        theories: ['01T'],
        lastAt: '2026-11-24T14:05:00Z',
      },
      {
        key: 'sam',
        name: 'Sam Okafor',
        online: true,
        tabs: 1,
        sessions: 0,
        harnesses: [],
        roles: ['commander'],
        focus: [],
        theories: [],
        lastAt: '2026-11-24T14:01:00Z',
      },
      {
        key: 'presence:admin ab12',
        name: 'admin ab12',
        online: true,
        tabs: 3,
        sessions: 0,
        harnesses: [],
        roles: ['admin'],
        focus: ['01T'],
        theories: [],
      },
    ]);
  });

  it('lists authors who are not connected after those who are', () => {
    const rows = people([entry('01A', sam, '2026-11-24T14:00:00Z')], [], [{ name: 'Ana', kind: 'human' }]);
    expect(rows.map((p) => [p.name, p.online])).toEqual([
      ['Ana', true],
      ['Sam Okafor', false],
    ]);
  });
});
