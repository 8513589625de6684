import { foldWord, wordsOf } from './fold';
import { rank } from './rank';
import { parseSearch } from './search-query';

describe('search text', () => {
  it('folds case in every script and Latin diacritics only', () => {
    expect(wordsOf('Réunion à GENÈVE, Łódź; Запорожье-2 ЇЖАК ёлка').map((w) => w.word)).toEqual(['reunion', 'a', 'geneve', 'łodz', 'запорожье', '2', 'їжак', 'ёлка']);
    expect(foldWord('Zaporizhzhia')).toBe('zaporizhzhia');
    expect(foldWord('Čřžő')).toBe('crzo');
  });

  it('parses words, phrases and prefixes, and never passes syntax on', () => {
    expect(parseSearch('give up')).toEqual([
      { words: ['give'], prefix: false },
      { words: ['up'], prefix: false },
    ]);
    expect(parseSearch('"Give Up" zapor* l\'état')).toEqual([
      { words: ['give', 'up'], prefix: false },
      { words: ['zapor'], prefix: true },
      { words: ['l', 'etat'], prefix: false },
    ]);
    expect(parseSearch('NEAR(a b) x:y -z "open')).toEqual([
      { words: ['near', 'a'], prefix: false },
      { words: ['b'], prefix: false },
      { words: ['x', 'y'], prefix: false },
      { words: ['z'], prefix: false },
      { words: ['open'], prefix: false },
    ]);
    expect(() => parseSearch('"* :')).toThrow(/query\.q: must contain at least one word/);
    expect(() => parseSearch('ab*')).toThrow(/at least 3 letters/);
    expect(() => parseSearch(Array.from({ length: 13 }, (_, i) => `w${i}`).join(' '))).toThrow(/at most 12/);
  });

  it('ranks by the best field of each clause and marks every match in the snippet', () => {
    const clauses = parseSearch('geneve talks');
    expect(rank([['quote', 'Talks in Genève'], ['note', null]], clauses)).toEqual({
      score: 10,
      field: 'quote',
      snippet: [
        { text: 'Talks', match: true },
        { text: ' in ', match: false },
        { text: 'Genève', match: true },
      ],
    });
    // One clause in the quote, the other only in the note: 5 + 2.
    expect(rank([['quote', 'Talks ended'], ['note', 'in Geneve']], clauses)?.score).toBe(7);
    expect(rank([['quote', 'Talks ended']], clauses)).toBeNull();
    // A phrase stays within one field and in order.
    expect(rank([['quote', 'up'], ['translation', 'give']], parseSearch('"give up"'))).toBeNull();
    expect(rank([['translation', 'we give up']], parseSearch('"give up"'))?.field).toBe('translation');
  });

  it('cuts a long text around the first match, at word boundaries', () => {
    const text = `${'lorem '.repeat(40)}Zaporizhzhia ${'ipsum '.repeat(60)}`;
    const { snippet } = rank([['quote', text]], parseSearch('zaporizhzhia')) ?? { snippet: [] };
    expect(snippet[0].text.startsWith('…lorem')).toBe(true);
    expect(snippet[1]).toEqual({ text: 'Zaporizhzhia', match: true });
    expect(snippet[2].text.endsWith('ipsum…')).toBe(true);
    expect(snippet.map((p) => p.text).join('').length).toBeLessThanOrEqual(205);
  });
});
