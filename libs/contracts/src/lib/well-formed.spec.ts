import { LONE_SURROGATE_MESSAGE, PlainString, Title, Url, cutText, isWellFormed } from './primitives';

describe('text that can be stored as given', () => {
  it('tells a lone surrogate from a pair', () => {
    for (const ok of ['', 'plain', '😀', 'a\uD83D\uDE00b', '\uFFFE\uFFFF', '\u0001']) expect(isWellFormed(ok)).toBe(true);
    for (const bad of ['\uD800', '\uDFFF', 'a\uD83Db', '\uDE00\uD83D', 'x\uDBFF']) expect(isWellFormed(bad)).toBe(false);
  });

  it('refuses a lone surrogate in free text and URLs, saying why', () => {
    for (const schema of [PlainString, Title]) {
      const result = schema.safeParse('bad\uD800');
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => i.message)).toEqual([LONE_SURROGATE_MESSAGE]);
    }
    expect(Url.safeParse('https://example.org/\uD800').success).toBe(false);
    expect(PlainString.safeParse('fine \uD83D\uDE00').success).toBe(true);
  });

  it('cuts text without splitting a surrogate pair', () => {
    expect(cutText('abc', 5)).toBe('abc');
    expect(cutText('ab\uD83D\uDE00', 3)).toBe('ab');
    expect(cutText('ab\uD83D\uDE00', 4)).toBe('ab\uD83D\uDE00');
    expect(cutText('abcd', 2)).toBe('ab');
  });
});
