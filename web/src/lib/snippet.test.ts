import { describe, expect, it } from 'vitest';
import { snippetRuns } from './snippet.js';

describe('snippet runs', () => {
  it('splits the matches the server marked with ** from the text around them', () => {
    expect(snippetRuns('pool at 100/100: **sorry, too many clients** already on **payments-db**')).toEqual([
      { text: 'pool at 100/100: ', match: false },
      { text: 'sorry, too many clients', match: true },
      { text: ' already on ', match: false },
      { text: 'payments-db', match: true },
    ]);
  });

  it('keeps plain text plain, and a snippet that is all match one run', () => {
    expect(snippetRuns('no match here')).toEqual([{ text: 'no match here', match: false }]);
    expect(snippetRuns('**x509**')).toEqual([{ text: 'x509', match: true }]);
    expect(snippetRuns('')).toEqual([]);
  });

  it('joins matches with only spaces between them into one highlight', () => {
    expect(snippetRuns('with sorry, **too** **many** **clients** already')).toEqual([
      { text: 'with sorry, ', match: false },
      { text: 'too many clients', match: true },
      { text: ' already', match: false },
    ]);
    expect(snippetRuns('**a** b **c**')).toEqual([
      { text: 'a', match: true },
      { text: ' b ', match: false },
      { text: 'c', match: true },
    ]);
    expect(snippetRuns('  **a**  ')).toEqual([
      { text: '  ', match: false },
      { text: 'a', match: true },
      { text: '  ', match: false },
    ]);
  });

  it('leaves an unpaired mark as text and drops empty matches', () => {
    expect(snippetRuns('a ** b **c** d')).toEqual([
      { text: 'a ', match: false },
      { text: ' b ', match: true },
      { text: 'c** d', match: false },
    ]);
    expect(snippetRuns('2 ** 3')).toEqual([{ text: '2 ** 3', match: false }]);
    expect(snippetRuns('a****b')).toEqual([{ text: 'ab', match: false }]);
  });

  it('returns markup as the text it is', () => {
    expect(snippetRuns('<img src=x onerror=alert(1)> **<b>hi</b>**')).toEqual([
      { text: '<img src=x onerror=alert(1)> ', match: false },
      { text: '<b>hi</b>', match: true },
    ]);
  });
});
