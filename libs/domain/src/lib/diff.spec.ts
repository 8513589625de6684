import type { DiffPart } from '@parley/contracts';
import { pick, seededRandom } from '../testing/seeded-random';
import { MAX_DIFF_CELLS, tokenize, wordDiff } from './diff';

const side = (parts: DiffPart[], keep: 'delete' | 'insert'): string =>
  parts
    .filter((p) => p.op === 'equal' || p.op === keep)
    .map((p) => p.text)
    .join('');

/** Independent LCS length over tokens: the number of tokens a minimal diff keeps. */
function lcsLength(a: string[], b: string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    const row = [0];
    b.forEach((y, j) => row.push(x === y ? previous[j] + 1 : Math.max(previous[j + 1], row[j])));
    previous = row;
  }
  return previous[b.length];
}

describe('wordDiff', () => {
  it('replaces one word in a readable way', () => {
    expect(wordDiff('the quick brown fox', 'the slow brown fox')).toEqual([
      { op: 'equal', text: 'the ' },
      { op: 'delete', text: 'quick' },
      { op: 'insert', text: 'slow' },
      { op: 'equal', text: ' brown fox' },
    ]);
  });

  it('shows an inserted phrase as one part', () => {
    expect(wordDiff('Sanctions are lifted in stages.', 'Sanctions are lifted gradually in stages.')).toEqual([
      { op: 'equal', text: 'Sanctions are lifted ' },
      { op: 'insert', text: 'gradually ' },
      { op: 'equal', text: 'in stages.' },
    ]);
  });

  it('finds words kept in the middle of a rewrite', () => {
    expect(wordDiff('Ukraine will not join NATO', 'Ukraine may join the EU')).toEqual([
      { op: 'equal', text: 'Ukraine ' },
      { op: 'delete', text: 'will not' },
      { op: 'insert', text: 'may' },
      { op: 'equal', text: ' join ' },
      { op: 'delete', text: 'NATO' },
      { op: 'insert', text: 'the EU' },
    ]);
  });

  it('sees a whitespace-only change', () => {
    expect(wordDiff('a b', 'a  b')).toEqual([
      { op: 'equal', text: 'a' },
      { op: 'delete', text: ' ' },
      { op: 'insert', text: '  ' },
      { op: 'equal', text: 'b' },
    ]);
  });

  it('handles identical and empty texts', () => {
    expect(wordDiff('same text', 'same text')).toEqual([{ op: 'equal', text: 'same text' }]);
    expect(wordDiff('', '')).toEqual([]);
    expect(wordDiff('', 'new')).toEqual([{ op: 'insert', text: 'new' }]);
    expect(wordDiff('old', '')).toEqual([{ op: 'delete', text: 'old' }]);
  });

  it('rebuilds both texts, merges parts and keeps as many tokens as possible (random texts)', () => {
    const random = seededRandom(20251121);
    const words = ['a', 'b', 'c', 'peace', 'plan', 'NATO', '28', 'x.'];
    const spaces = [' ', ' ', ' ', '  ', '\n', '\t '];
    const text = (): string => {
      const n = Math.floor(random() * 12);
      let out = random() < 0.2 ? pick(random, spaces) : '';
      for (let i = 0; i < n; i += 1) out += (i > 0 ? pick(random, spaces) : '') + pick(random, words);
      return random() < 0.2 ? out + pick(random, spaces) : out;
    };
    for (let round = 0; round < 500; round += 1) {
      const a = text();
      const b = random() < 0.3 ? a : text();
      const parts = wordDiff(a, b);
      expect(side(parts, 'delete')).toBe(a);
      expect(side(parts, 'insert')).toBe(b);
      for (let i = 0; i < parts.length; i += 1) {
        expect(parts[i].text).not.toBe('');
        if (i > 0) expect(parts[i].op).not.toBe(parts[i - 1].op);
      }
      const kept = parts.filter((p) => p.op === 'equal').reduce((n, p) => n + tokenize(p.text).length, 0);
      expect(kept).toBe(lcsLength(tokenize(a), tokenize(b)));
    }
  });

  describe('size guard', () => {
    const words = (prefix: string, n: number): string =>
      Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ');

    it('replaces everything when the differing middle is too large', () => {
      const a = words('a', 1_500);
      const b = words('b', 1_500);
      expect(tokenize(a).length * tokenize(b).length).toBeGreaterThan(MAX_DIFF_CELLS);
      expect(wordDiff(a, b)).toEqual([
        { op: 'delete', text: a },
        { op: 'insert', text: b },
      ]);
    });

    it('keeps the common start and end around the replaced middle', () => {
      const a = `Preamble: ${words('a', 1_500)} END`;
      const b = `Preamble: ${words('b', 1_500)} END`;
      expect(wordDiff(a, b)).toEqual([
        { op: 'equal', text: 'Preamble: ' },
        { op: 'delete', text: words('a', 1_500) },
        { op: 'insert', text: words('b', 1_500) },
        { op: 'equal', text: ' END' },
      ]);
    });

    it('still diffs word by word a long text with one change', () => {
      const a = `${words('w', 3_000)} alpha ${words('v', 3_000)}`;
      const b = `${words('w', 3_000)} beta ${words('v', 3_000)}`;
      expect(tokenize(a).length * tokenize(b).length).toBeGreaterThan(MAX_DIFF_CELLS);
      expect(wordDiff(a, b).filter((p) => p.op !== 'equal')).toEqual([
        { op: 'delete', text: 'alpha' },
        { op: 'insert', text: 'beta' },
      ]);
    });
  });
});
