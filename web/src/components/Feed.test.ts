import type { Entry } from '@sitrep/shared';
import { flushSync, mount, unmount } from 'svelte';
import { describe, expect, it } from 'vitest';
import Feed from './Feed.svelte';

const entries: Entry[] = Array.from({ length: 10_000 }, (_, i) => ({
  v: 1,
  id: `01JD${String(i).padStart(22, '0')}`,
  kind: i % 10 === 0 ? 'theory' : 'finding',
  ...(i % 10 === 0 && { title: `theory ${i}` }),
  body: `finding number ${i}`,
  author: { id: i % 2 ? 'ana' : 'bo', name: i % 2 ? 'Ana' : 'Bo', kind: 'human' },
  at: new Date(1_764_000_000_000 + i * 1000).toISOString(),
}));

describe('feed', () => {
  it('keeps only the rows in view in the DOM for 10,000 entries, and filters by text', () => {
    const target = document.createElement('div');
    document.body.append(target);
    const feed = mount(Feed, { target, props: { entries, selected: null, reveal: null, onopen: () => {} } });
    flushSync();
    const rows = target.querySelectorAll('[data-entry-id]').length;
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(60);
    expect(target.querySelector('#feed-title')?.textContent).toContain('10000');
    const text = target.querySelector('#feed-text') as HTMLInputElement;
    text.value = 'theory 4240';
    text.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    expect(target.querySelector('#feed-title')?.textContent).toContain('(1 of 10000)');
    unmount(feed);
    target.remove();
  });
});
