import type { Entry, SearchResponse, SearchResult } from '@sitrep/shared';
import { SitrepError } from '@sitrep/shared';
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import SearchBox from './SearchBox.svelte';

const id = (n: number) => `01JD${String(n).padStart(22, '0')}`;
const entry = (n: number, over: Partial<Entry> = {}): Entry => ({
  v: 1,
  id: id(n),
  kind: 'finding',
  body: `finding ${n}`,
  author: { id: 'ana', name: 'Ana', kind: 'human' },
  at: '2026-11-24T14:00:00Z',
  ...over,
});
const result = (incident: string, n: number, snippet: string, over: Partial<Entry> = {}): SearchResult => ({
  incident: {
    id: incident,
    title: `Incident ${incident}`,
    status: 'resolved',
    severity: 'SEV2',
    kind: incident.startsWith('drill') ? 'drill' : 'incident',
  },
  entry: entry(n, over),
  score: 1 / n,
  snippet,
});

let target: HTMLElement;
let box: ReturnType<typeof mount>;
let search: ReturnType<typeof vi.fn<(q: { q: string }) => Promise<SearchResponse>>>;

function setup(answer: (q: string) => Promise<SearchResponse>) {
  search = vi.fn((q: { q: string }) => answer(q.q));
  target = document.createElement('div');
  document.body.append(target);
  box = mount(SearchBox, { target, props: { api: { search } as never, delayMs: 200 } });
  flushSync();
}
const input = () => target.querySelector('input') as HTMLInputElement;
function type(text: string) {
  input().value = text;
  input().dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}
function key(k: string) {
  input().dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
  flushSync();
}
async function settle(ms = 200) {
  await vi.advanceTimersByTimeAsync(ms);
  flushSync();
}
const options = () => [...target.querySelectorAll('[role="option"]')];
const status = () => target.querySelector('[role="status"]')?.textContent;

beforeEach(() => {
  vi.useFakeTimers();
  location.hash = '';
});
afterEach(() => {
  unmount(box);
  target.remove();
  vi.useRealTimers();
});

describe('search box', () => {
  const results = [
    result('db-pool', 1, 'pool at 100/100: **sorry, too many clients already**', { title: 'Pool exhausted' }),
    result('drill-dns', 2, '**too many** <img src=x onerror=alert(1)> retries'),
    result('db-pool', 3, 'raised max_connections; **too many** no more'),
  ];

  it('asks once typing pauses, and lists results under their incident with highlights as text', async () => {
    setup(async () => ({ results }));
    type('too');
    await settle(100);
    type('too many');
    await settle(100);
    expect(search).not.toHaveBeenCalled();
    expect(status()).toBe('Searching…');
    await settle(100);
    expect(search).toHaveBeenCalledTimes(1);
    expect(search.mock.calls[0]?.[0]).toMatchObject({ q: 'too many' });
    expect(status()).toBe('3 entries in 2 incidents');
    const groups = [...target.querySelectorAll('[role="group"]')];
    expect(
      groups.map((g) => g.querySelector('.group-head')?.textContent?.replace(/\s+/g, ' ').trim()),
    ).toEqual(['Incident db-pool SEV2 resolved', 'Incident drill-dns SEV2 resolved drill']);
    // Reading order: both db-pool results, then the drill's.
    expect(options().map((o) => o.getAttribute('data-entry-id'))).toEqual([id(1), id(3), id(2)]);
    expect(options()[0]?.querySelector('.entry-title')?.textContent).toBe('Pool exhausted');
    expect([...target.querySelectorAll('mark')].map((m) => m.textContent)).toEqual([
      'sorry, too many clients already',
      'too many',
      'too many',
    ]);
    expect(target.querySelector('img')).toBeNull();
    expect(options()[2]?.querySelector('.snippet')?.textContent).toBe(
      'too many <img src=x onerror=alert(1)> retries',
    );
    expect(input().getAttribute('aria-expanded')).toBe('true');
    expect(input().getAttribute('aria-activedescendant')).toBe('corpus-result-0');
  });

  it('walks the results with the arrow keys and opens the active one at its entry with Enter', async () => {
    setup(async () => ({ results }));
    type('too many');
    await settle();
    key('ArrowDown');
    expect(input().getAttribute('aria-activedescendant')).toBe('corpus-result-1');
    key('ArrowDown');
    key('ArrowDown'); // wraps round to the first
    key('ArrowUp'); // and back to the last: the drill's
    expect(options()[2]?.getAttribute('aria-selected')).toBe('true');
    key('Enter');
    expect(location.hash).toBe(`#/incidents/drill-dns/entries/${id(2)}`);
    expect(input().getAttribute('aria-expanded')).toBe('false');
  });

  it('closes with Escape, reopens with ArrowDown, and clears with a second Escape', async () => {
    setup(async () => ({ results }));
    type('too many');
    await settle();
    key('Escape');
    expect(input().getAttribute('aria-expanded')).toBe('false');
    key('ArrowDown');
    expect(input().getAttribute('aria-expanded')).toBe('true');
    key('Escape');
    key('Escape');
    expect(input().value).toBe('');
    expect(options()).toEqual([]);
  });

  it('says plainly when nothing matches and when the server refuses the query', async () => {
    setup(async (q) => {
      if (q.length > 10) throw new SitrepError('request.invalid', 'q: must be at most 1024 bytes');
      return { results: [] };
    });
    type('nothing');
    await settle();
    expect(status()).toBe('No entries match “nothing”.');
    type('x'.repeat(2000));
    await settle();
    expect(status()).toBe('Search failed: q: must be at most 1024 bytes');
    expect(target.querySelector('.status.error')).not.toBeNull();
  });

  it('asks again without drills when the reader leaves them out', async () => {
    setup(async () => ({ results }));
    type('too many');
    await settle();
    expect(search.mock.calls[0]?.[0]).toMatchObject({ q: 'too many', drills: true });
    const box = target.querySelector('.drills input') as HTMLInputElement;
    box.click();
    await settle(0);
    expect(search).toHaveBeenCalledTimes(2);
    expect(search.mock.calls[1]?.[0]).toMatchObject({ q: 'too many', drills: false });
  });

  it('drops an answer that comes back after a newer query, and sends no empty query', async () => {
    const pending: ((r: SearchResponse) => void)[] = [];
    setup(() => new Promise((resolve) => pending.push(resolve)));
    type('first');
    await settle();
    type('second');
    await settle();
    pending[1]?.({ results: [results[0] as SearchResult] });
    await settle(0);
    pending[0]?.({ results });
    await settle(0);
    expect(options()).toHaveLength(1);
    type('   ');
    await settle();
    expect(search).toHaveBeenCalledTimes(2);
    expect(options()).toEqual([]);
  });
});
