/**
 * How search sees text, the same in both databases and here: lower case; letters and digits make
 * words, everything else separates them; Latin letters with diacritics fold to their base letter
 * (é → e, ő → o, č → c), so a word finds its text with or without its diacritics. Letters Unicode
 * does not write as a base letter plus marks (ł, ø, ß, æ) and every Cyrillic letter (й, ё, ї) stay
 * as they are. SQLite's `unicode61 remove_diacritics 2` tokenizer does this; on PostgreSQL the
 * migration's `parley_search_vector` does (migrations/1765242000000-search.ts, whose table of
 * folds this one repeats).
 */

/** The Latin letters Unicode writes as a base letter plus combining marks, and their base letter (less Ǡ ǡ, which SQLite keeps). */
function latinFolds(): Map<string, string> {
  const folds = new Map<string, string>();
  for (const [lo, hi] of [
    [0xc0, 0x24f],
    [0x1e00, 0x1eff],
  ]) {
    for (let c = lo; c <= hi; c++) {
      const ch = String.fromCodePoint(c);
      const parts = ch.normalize('NFD');
      if (ch !== 'Ǡ' && ch !== 'ǡ' && /^[A-Za-z]\p{M}+$/u.test(parts)) folds.set(ch, parts[0].toLowerCase());
    }
  }
  return folds;
}

const FOLDS = latinFolds();
const WORD = /[\p{L}\p{N}]+/gu;

/** One word of a text: its folded form and where it stands in the text. */
export interface Word {
  word: string;
  start: number;
  end: number;
}

/** A word (letters and digits only) as search compares it. */
export function foldWord(word: string): string {
  let out = '';
  for (const ch of word.toLowerCase()) out += FOLDS.get(ch) ?? ch;
  return out;
}

/** The words of a text, folded, with their places in it. */
export function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  for (const m of text.matchAll(WORD)) words.push({ word: foldWord(m[0]), start: m.index, end: m.index + m[0].length });
  return words;
}
