import type { RulesView } from '@sitrep/shared';
import { flushSync, mount, unmount } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import TheoryBoard from './TheoryBoard.svelte';

const id = (n: number) => `01JD${String(n).padStart(22, '0')}`;
const rules: RulesView = {
  theories: [
    { id: id(1), title: 'Bad deploy', state: 'leading', support: [id(9)], workers: ['ana'] },
    { id: id(2), title: 'DNS', state: 'rejected', support: [], rejectedBy: id(3), workers: ['bo'] },
    {
      id: id(4),
      title: 'Noisy neighbour',
      state: 'reopened',
      support: [id(8)],
      rejectedBy: id(5),
      reopenedBy: id(8),
      workers: ['bo'],
    },
  ],
  decisions: [],
  openGaps: [],
  datasets: [],
  actions: [],
  workers: [],
  review: [],
  counts: {
    finding: 0,
    theory: 3,
    rejection: 1,
    reopen: 0,
    decision: 0,
    dataset: 0,
    transcript: 0,
    gap: 0,
    action: 0,
    note: 0,
  },
  warnings: [],
  watermark: id(9),
};

describe('theory board', () => {
  it('puts each theory in its column with its state, and says when there are none', () => {
    const target = document.createElement('div');
    const board = mount(TheoryBoard, { target, props: { rules, onshow: () => {} } });
    const column = (name: string) =>
      [...target.querySelectorAll(`[data-column="${name}"] [data-theory]`)].map((el) =>
        el.getAttribute('data-theory'),
      );
    expect(column('leading')).toEqual([id(1)]);
    expect(column('open')).toEqual([id(4)]);
    expect(column('rejected')).toEqual([id(2)]);
    unmount(board);
    const empty = mount(TheoryBoard, { target, props: { rules: null, onshow: () => {} } });
    expect(target.textContent).toContain('No theories yet.');
    unmount(empty);
  });

  it('opens a theory from its title and a cited entry from its link', () => {
    const target = document.createElement('div');
    const onshow = vi.fn();
    const board = mount(TheoryBoard, { target, props: { rules, onshow } });
    (target.querySelector(`[data-theory="${id(2)}"] button.title`) as HTMLButtonElement).click();
    (target.querySelector(`[data-theory="${id(2)}"] button.cite:last-of-type`) as HTMLButtonElement).click();
    flushSync();
    expect(onshow.mock.calls).toEqual([[id(2)], [id(3)]]);
    unmount(board);
  });

  // happy-dom does not turn Enter or Space on a focused button into a click, as browsers do; the
  // keys themselves are pressed in Chromium (test/e2e/dashboard.test.ts). Here: every control is
  // a button in the tab order, which is what lets a keyboard reach and press it.
  it('makes every control a named button in the tab order', () => {
    const target = document.createElement('div');
    document.body.append(target);
    const board = mount(TheoryBoard, { target, props: { rules, onshow: () => {} } });
    const controls = [...target.querySelectorAll<HTMLElement>('[data-theory] button')];
    // Leading (a theory, its support), open (a reopened theory, its rejection and the reopening
    // finding, which also supports it: cited once), rejected (a theory, its rejection).
    expect(controls.map((b) => b.className.split(' ')[0])).toEqual([
      'title',
      'cite',
      'title',
      'cite',
      'cite',
      'title',
      'cite',
    ]);
    for (const b of controls) {
      expect((b as HTMLButtonElement).type).toBe('button');
      expect(b.tabIndex).toBe(0);
      expect(b.getAttribute('aria-label') ?? b.textContent?.trim()).toBeTruthy();
      b.focus();
      expect(document.activeElement).toBe(b);
    }
    unmount(board);
    target.remove();
  });
});
