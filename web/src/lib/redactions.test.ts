import { describe, expect, it } from 'vitest';
import { describeRedactions } from './redactions.js';

describe('redactions in words', () => {
  it("reads an old entry's number as secrets", () => {
    expect(describeRedactions(1)).toBe('1 secret');
    expect(describeRedactions(3)).toBe('3 secrets');
  });

  it('names each type with its count', () => {
    expect(describeRedactions({ secret: 1, email: 2, phone: 1 })).toBe(
      '1 secret, 2 e-mail addresses and 1 phone number',
    );
  });

  it('says nothing when nothing was redacted', () => {
    for (const none of [undefined, 0, {}, { email: 0 }]) expect(describeRedactions(none)).toBeNull();
  });
});
