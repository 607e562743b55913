import { describe, expect, it } from 'vitest';
import { findBlame } from './blame.js';

describe('blame detector', () => {
  it.each([
    ['a person named as the cause', 'Dave broke prod on Friday.'],
    ["a person's change named as the cause", "Erin's hotfix caused the outage."],
    ['"human error"', 'Root cause: human error.'],
    ['"fat-fingered"', 'Someone fat-fingered the replica count.'],
    ['"should have known"', 'They should have known better.'],
    ['an insult', 'What an idiot.'],
    ['"careless"', 'A careless rollout.'],
    ['"it is X\'s fault"', "It was Sam's fault."],
  ])('flags %s', (_name, text) => {
    expect(findBlame(text)).toHaveLength(1);
  });

  it.each([
    ['a person acting', 'Dave rolled back the deploy at 14:10.'],
    ['a system that should have', 'The cache should have expired after five minutes.'],
    ['a system fault', 'A segmentation fault crashed the worker.'],
    ['git blame', 'git blame points at commit 9f1c2ab.'],
    ['an error rate', 'The error rate rose to 12%.'],
    ['a system as the cause', 'Redis caused the latency spike when it ran out of memory.'],
  ])('leaves %s alone', (_name, text) => {
    expect(findBlame(text)).toEqual([]);
  });

  it('runs every rule whose keys are in the text, where keys overlap or hold one another', () => {
    // "should have" starts before "have known" ends; "screwed" holds "screw".
    expect(findBlame('Hugo should have known the cache would stampede.')[0]?.reasons).toEqual([
      '"should have known"',
    ]);
    expect(findBlame('Dave screwed up the deploy.')[0]?.reasons).toEqual([
      '"screwed up" / "messed up" / "botched"',
      'names a person as the cause',
    ]);
  });

  it('returns each flagged sentence with where it is and why, and changes nothing', () => {
    const text = 'Latency rose at 14:02. Dave forgot to renew the cert, as usual!\nWe renewed it at 14:30.';
    const flags = findBlame(text);
    expect(flags).toHaveLength(1);
    const [flag] = flags;
    expect(flag?.sentence).toBe('Dave forgot to renew the cert, as usual!');
    expect(text.slice(flag?.start, flag?.end)).toBe(flag?.sentence);
    expect(flag?.reasons).toContain('names a person as the cause');
  });
});
