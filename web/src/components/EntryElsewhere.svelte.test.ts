import type { RelatedIncident, RelatedResponse } from '@sitrep/shared';
import { flushSync, mount, unmount } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import EntryElsewhere from './EntryElsewhere.svelte';

const id = (n: number) => `01JD${String(n).padStart(22, '0')}`;
const past: RelatedIncident = {
  incident: {
    id: 'db-pool-1',
    title: 'Pool exhausted',
    status: 'resolved',
    severity: 'SEV2',
    kind: 'incident',
  },
  score: 0.7,
  why: { terms: ['memory'], services: ['payments-db'], errors: [] },
  outcome: {
    confirmed: [],
    rejected: [
      {
        theory: {
          v: 1,
          id: id(9),
          kind: 'theory',
          title: 'The database ran out of memory',
          body: '',
          author: { id: 'ana', name: 'Ana', kind: 'human' },
          at: '2026-11-24T14:00:00Z',
        },
        rationale: 'RSS flat at 40%',
      },
    ],
    decisions: [],
    openActions: [],
  },
};
const props = $state({ entryId: id(1) });

describe('seen elsewhere', () => {
  it('asks for past incidents like the entry shown, again for the next one, and keeps only the newest answer', async () => {
    const answers: ((r: RelatedResponse) => void)[] = [];
    const related = vi.fn(
      (_incident: string, _q: { entry?: string; limit?: number }) =>
        new Promise<RelatedResponse>((resolve) => answers.push(resolve)),
    );
    const target = document.createElement('div');
    document.body.append(target);
    const shown = mount(EntryElsewhere, {
      target,
      props: {
        api: { related } as never,
        incidentId: 'now-1',
        get entryId() {
          return props.entryId;
        },
      },
    });
    flushSync();
    expect(related).toHaveBeenLastCalledWith('now-1', { entry: id(1), limit: 3 });
    expect(target.querySelector('[role="status"]')?.textContent).toBe('Looking in past incidents…');
    props.entryId = id(2);
    flushSync();
    expect(related).toHaveBeenLastCalledWith('now-1', { entry: id(2), limit: 3 });
    answers[1]?.({ related: [] });
    await Promise.resolve();
    flushSync();
    answers[0]?.({ related: [past] }); // the first entry's answer, late: not shown for the second
    await Promise.resolve();
    flushSync();
    expect(target.querySelector('[role="status"]')?.textContent).toBe('Nothing like it in a past incident.');
    props.entryId = id(3);
    flushSync();
    answers[2]?.({ related: [past] });
    await Promise.resolve();
    flushSync();
    const card = target.querySelector('[data-related="db-pool-1"]') as HTMLElement;
    expect(card.querySelector('h4')?.textContent?.trim()).toBe('Pool exhausted');
    expect(card.textContent).toContain('RSS flat at 40%');
    unmount(shown);
    target.remove();
  });
});
