import { describe, expect, it } from 'vitest';
import { MAX_TERMS, errorStrings, memoryTerms } from './terms.js';

describe('memory terms', () => {
  it('finds error strings quoted, after a label, and as error words', () => {
    expect(errorStrings('Postgres said `FATAL: sorry, too many clients already` again')).toEqual(
      expect.arrayContaining(['fatal sorry too many clients already', 'sorry too many clients']),
    );
    expect(errorStrings('logs: x509: certificate has expired or is not yet valid')).toContain(
      'x509 certificate has expired',
    );
    expect(errorStrings('pods in CrashLoopBackOff after ECONNRESET, then OOMKilled')).toEqual(
      expect.arrayContaining(['CrashLoopBackOff', 'ECONNRESET', 'OOMKilled']),
    );
    expect(errorStrings('Impact: checkout was slow. Summary: none')).toEqual([]);
  });

  it('finds service names, not hyphenated prose', () => {
    const services = (text: string) =>
      memoryTerms([{ text, weight: 1 }])
        .filter((t) => t.kind === 'service')
        .map((t) => t.text);
    expect(services('payments-db and notif-sender, a follow-up on-call task for api-v2 and sev-1')).toEqual([
      'payments-db',
      'notif-sender',
      'api-v2',
    ]);
    expect(
      services(
        'a stop-the-world pause, out-of-memory, cluster-wide and node-local caches, cpu-bound, read-only, in-flight end-to-end',
      ),
    ).toEqual([]);
  });

  it('tells identifiers (settings, tables, error codes) from services', () => {
    const terms = memoryTerms([
      { text: 'max_connections hit on payments-db; pg_stat_activity full; invalid_api_key', weight: 1 },
    ]);
    expect(terms.filter((t) => t.kind === 'service').map((t) => t.text)).toEqual(['payments-db']);
    expect(terms.filter((t) => t.kind === 'identifier').map((t) => t.text)).toEqual([
      'max_connections',
      'pg_stat_activity',
      'invalid_api_key',
    ]);
  });

  it('keeps errors and services, then the heaviest content words, without function words or numbers', () => {
    const terms = memoryTerms([
      { text: 'Checkout failing on payments-db', weight: 3 },
      { text: 'the pool is exhausted, the pool is full since 09:00 and 400 connections', weight: 1 },
    ]);
    expect(terms.filter((t) => t.kind === 'service').map((t) => t.text)).toEqual(['payments-db']);
    const words = terms.filter((t) => t.kind === 'word').map((t) => t.text);
    expect(words.slice(0, 2)).toEqual(['checkout', 'failing']);
    expect(words).toContain('pool');
    expect(words).not.toContain('the');
    expect(words).not.toContain('400');
    expect(words).not.toContain('payments');
  });

  it('looks for words by their stems, and for neighbouring words as pairs, each shown as first written', () => {
    const terms = memoryTerms([
      { text: 'CoreDNS pods throttled; the clock drifted ahead.', weight: 1 },
      { text: 'Throttling of CoreDNS again', weight: 1 },
    ]);
    const word = terms.find((t) => t.kind === 'word' && t.text === 'throttled');
    expect(word?.query).toBe('throttl');
    expect(terms.filter((t) => t.kind === 'word' && t.query === 'throttl')).toHaveLength(1);
    const pairs = terms.filter((t) => t.kind === 'pair');
    expect(pairs.map((t) => t.text)).toEqual(
      expect.arrayContaining(['coredns pods', 'pods throttled', 'clock drifted', 'drifted ahead']),
    );
    expect(pairs.find((t) => t.text === 'drifted ahead')?.query).toBe('ahead drift');
    // Not across a sentence's end.
    expect(pairs.map((t) => t.text)).not.toContain('throttled clock');
  });

  it('takes at most MAX_TERMS of each kind', () => {
    const text = Array.from({ length: 100 }, (_, i) => `word${i}x svc-${i}a max_${i}b`).join(' ');
    const terms = memoryTerms([{ text, weight: 1 }]);
    expect(terms.filter((t) => t.kind === 'word')).toHaveLength(MAX_TERMS.word);
    expect(terms.filter((t) => t.kind === 'service')).toHaveLength(MAX_TERMS.service);
    expect(terms.filter((t) => t.kind === 'identifier')).toHaveLength(MAX_TERMS.identifier);
  });
});
