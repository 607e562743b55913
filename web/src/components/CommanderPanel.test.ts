import type { CommanderView, Entry, Presence, RulesView } from '@sitrep/shared';
import { flushSync, mount, unmount } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import CommanderPanel from './CommanderPanel.svelte';

const id = (n: number) => `01JD${String(n).padStart(22, '0')}`;
const author = { id: 'ana', name: 'Ana', kind: 'human' } as const;
const decision: Entry = {
  v: 1,
  id: id(2),
  kind: 'decision',
  title: 'Roll back',
  body: '',
  author,
  at: '2026-11-24T14:00:00Z',
  rationale: 'cheap',
};
const rules: RulesView = {
  theories: [{ id: id(1), title: 'Bad deploy', state: 'leading', support: [id(3)], workers: ['ana'] }],
  decisions: [{ id: id(2), hasRationale: true }],
  openGaps: [],
  datasets: [],
  actions: [],
  workers: [],
  review: [],
  counts: {
    finding: 1,
    theory: 1,
    rejection: 0,
    reopen: 0,
    decision: 1,
    dataset: 0,
    transcript: 0,
    gap: 0,
    action: 0,
    note: 0,
  },
  warnings: [],
  watermark: id(3),
};
const llm: CommanderView = {
  headline: { text: 'Checkout is down because of the deploy', cites: [id(1)] },
  impact: null,
  status: null,
  whatChanged: [],
  nextActions: [],
  warnings: [],
  mergedTheories: [],
  timeline: [],
  model: 'claude-test',
  watermark: id(3),
  at: '2026-11-24T14:05:00Z',
  droppedItems: 0,
};

function render(commander: CommanderView | null, onshow = vi.fn(), presence: Presence[] = []) {
  const target = document.createElement('div');
  document.body.append(target);
  const panel = mount(CommanderPanel, {
    target,
    props: { commander, rules, presence, summarizer: null, byId: new Map([[decision.id, decision]]), onshow },
  });
  flushSync();
  return { target, done: () => (unmount(panel), target.remove()) };
}

describe('commander panel', () => {
  it('is the rules headline without an LLM view, each line citing its entries', () => {
    const onshow = vi.fn();
    const { target, done } = render(null, onshow);
    const lines = [...target.querySelectorAll('[data-testid="rules-headline"] li')].map((li) =>
      li.firstChild?.textContent?.trim(),
    );
    expect(lines).toEqual([
      'Leading theory: Bad deploy (1 supporting finding)',
      'Latest decision: Roll back',
    ]);
    expect(target.querySelector('h2')?.textContent).toContain('by the rules');
    (
      target.querySelector('[data-testid="rules-headline"] .line-decision button.cite') as HTMLButtonElement
    ).click();
    expect(onshow).toHaveBeenCalledWith(id(2));
    done();
  });

  it('gives the LLM view the place, with the rules headline one click away', () => {
    const { target, done } = render(llm);
    expect(target.querySelector('.headline')?.textContent).toContain(
      'Checkout is down because of the deploy',
    );
    expect(target.querySelector('h2')?.textContent).toContain('by claude-test');
    const details = target.querySelector('details') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    expect(details.querySelector('summary')?.textContent).toBe('Rules headline (no LLM)');
    expect(details.querySelector('[data-testid="rules-headline"]')?.textContent).toContain(
      'Latest decision: Roll back',
    );
    done();
  });

  it('warns of two people focused on one live theory, from presence (never stored in the view)', () => {
    const focused: Presence[] = [
      { name: 'Ana', kind: 'human', focus: id(1) },
      { name: 'Claude for Bo', kind: 'harness', focus: id(1) },
    ];
    const { target, done } = render(null, vi.fn(), focused);
    expect(target.querySelector('.warnings')?.textContent).toContain(
      'Ana and Claude for Bo are both focused on "Bad deploy"',
    );
    done();
    const alone = render(null, vi.fn(), focused.slice(0, 1));
    expect(alone.target.querySelector('.warnings')).toBeNull();
    alone.done();
  });
});
