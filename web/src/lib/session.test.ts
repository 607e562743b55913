import { describe, expect, it } from 'vitest';
import { entryHref, entryStepsState, nextEntrySteps, parseRoute, readEntrySteps } from './route.js';
import { forgetToken, storedToken, takeTokenFromHash } from './session.js';

function memory() {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
}

describe('session and routes', () => {
  it('takes the token from a sign-in link and drops it from the hash', () => {
    const s = memory();
    expect(takeTokenFromHash('#token=sitrep_abc', s)).toBe('');
    expect(storedToken(s)).toBe('sitrep_abc');
    expect(takeTokenFromHash('#token=t2&x=1', s)).toBe('#x=1');
    expect(storedToken(s)).toBe('t2');
    expect(takeTokenFromHash('#x=1&token=t3&y=2', s)).toBe('#x=1&y=2');
    expect(takeTokenFromHash('#/incidents/demo', s)).toBeNull();
    expect(takeTokenFromHash('#token=', s)).toBeNull();
    forgetToken(s);
    expect(storedToken(s)).toBeNull();
  });

  it('keeps the deep link of a sign-in link, whichever side of the token it is on', () => {
    const s = memory();
    const page = '#/incidents/demo/entries/01M86XT2Y0DEM0000000000002';
    expect(takeTokenFromHash(`${page}?token=sitrep_a_b`, s)).toBe(page);
    expect(storedToken(s)).toBe('sitrep_a_b');
    expect(takeTokenFromHash(`#token=sitrep_c&${page.slice(1)}`, s)).toBe(page);
    expect(storedToken(s)).toBe('sitrep_c');
    expect(parseRoute(page)).toEqual({ page: 'incident', id: 'demo', entry: '01M86XT2Y0DEM0000000000002' });
  });

  it('routes the hash to the list, insights, an incident or one of its entries, refusing malformed ids', () => {
    expect(parseRoute('')).toEqual({ page: 'list' });
    expect(parseRoute('#/insights')).toEqual({ page: 'insights' });
    expect(parseRoute('#/insights/')).toEqual({ page: 'insights' });
    expect(parseRoute('#/insightsx')).toEqual({ page: 'list' });
    expect(parseRoute('#/incidents/demo')).toEqual({ page: 'incident', id: 'demo', entry: null });
    expect(parseRoute('#/incidents/demo/entries/')).toEqual({ page: 'incident', id: 'demo', entry: null });
    expect(parseRoute('#/incidents/demo/entries/not-an-id')).toEqual({
      page: 'incident',
      id: 'demo',
      entry: 'not-an-id',
    });
    expect(parseRoute(`#/incidents/demo/entries/${'x'.repeat(200)}`)).toEqual({
      page: 'incident',
      id: 'demo',
      entry: null,
    });
    expect(parseRoute('#/incidents/demo/entries/%E0%A4%A')).toEqual({
      page: 'incident',
      id: 'demo',
      entry: null,
    });
    expect(parseRoute('#/incidents/Bad..Id')).toEqual({ page: 'list' });
    expect(entryHref('demo', '01A')).toBe('#/incidents/demo/entries/01A');
  });

  it('counts the entry steps above the incident page, so Escape can go back to it', () => {
    const page = parseRoute('#/incidents/demo');
    const a = parseRoute('#/incidents/demo/entries/01A');
    const b = parseRoute('#/incidents/demo/entries/01B');
    const first = nextEntrySteps(page, null, a);
    expect(first).toEqual({ steps: 1, fromPage: true });
    expect(nextEntrySteps(a, first, b)).toEqual({ steps: 2, fromPage: true });
    expect(nextEntrySteps(null, null, a)).toEqual({ steps: 1, fromPage: false });
    expect(nextEntrySteps(parseRoute('#/incidents/other/entries/01A'), first, a)).toEqual({
      steps: 1,
      fromPage: false,
    });
    expect(nextEntrySteps(a, first, page)).toBeNull();
    expect(readEntrySteps(entryStepsState({ steps: 2, fromPage: true }))).toEqual({
      steps: 2,
      fromPage: true,
    });
    expect(readEntrySteps(null)).toBeNull();
    expect(readEntrySteps({ sitrepEntry: { steps: 0, fromPage: true } })).toBeNull();
  });
});
