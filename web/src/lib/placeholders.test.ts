import { describe, expect, it } from 'vitest';
import { segments } from './placeholders.js';

describe('placeholders in text', () => {
  it('finds redacted secrets and private-data placeholders, and leaves other brackets as text', () => {
    expect(segments('token [REDACTED:github-pat] for [email-3f9a2c], see [1] and [email-XYZ]')).toEqual([
      { text: 'token ' },
      {
        text: '[REDACTED:github-pat]',
        placeholder: { kind: 'secret', label: 'secret removed (github-pat)' },
      },
      { text: ' for ' },
      {
        text: '[email-3f9a2c]',
        placeholder: {
          kind: 'private',
          label: 'an e-mail address removed, the same one wherever [email-3f9a2c] appears',
        },
      },
      { text: ', see [1] and [email-XYZ]' },
    ]);
    expect(segments('')).toEqual([{ text: '' }]);
    expect(segments('[card-0a1b2c]').map((s) => s.placeholder?.kind)).toEqual(['private']);
  });
});
