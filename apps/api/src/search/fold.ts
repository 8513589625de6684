/**
 * How search sees text, the same in both databases and here: lower case; letters and digits make
 * words, everything else separates them; a Latin letter with diacritics folds to its base letter
 * (é → e, ő → o, č → c, ệ → e), so a word finds its text with or without its diacritics. Letters
 * Unicode does not write as a base letter plus marks (ł, ø, ß, æ) and every Cyrillic letter (й, ё,
 * ї) stay as they are. SQLite's `unicode61 remove_diacritics 2` tokenizer does this; on PostgreSQL
 * the migration's `parley_search_vector` does it the way this file does (decompose, drop the
 * combining marks U+0300–U+036F after a Latin letter, compose again). The known differences (a
 * test compares every Latin and Cyrillic letter): SQLite keeps ǡ/Ǡ, which the others fold to a,
 * and folds the long s (ſ, ẛ) to s.
 */

const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;
const LATIN_MARKS = /([a-z])[\u0300-\u036f]+/g;
/** A Latin letter beyond ASCII or a combining mark: the text may have something to fold. */
const NEEDS_FOLDING = /[\u00c0-\u024f\u1e00-\u1eff]|\p{M}/u;

/** One word of a text: its folded form and where it stands in the text. */
export interface Word {
  word: string;
  start: number;
  end: number;
}

/** A word (letters and digits) as search compares it. */
export function foldWord(word: string): string {
  const lower = word.toLowerCase();
  // ASCII, Cyrillic…: nothing to fold (the common case, without two normalizations).
  if (!NEEDS_FOLDING.test(lower)) return lower;
  return lower.normalize('NFD').replace(LATIN_MARKS, '$1').normalize('NFC');
}

/** The words of a text, folded, with their places in it. */
export function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  for (const m of text.matchAll(WORD)) words.push({ word: foldWord(m[0]), start: m.index, end: m.index + m[0].length });
  return words;
}
