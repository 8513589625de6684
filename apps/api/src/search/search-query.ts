import { invalid } from '../common/app-error';
import { wordsOf } from './fold';

/**
 * What a user typed in the search box, as clauses that must all match: a word, or a "quoted
 * phrase" (its words in a row). A word ending in `*` matches as a prefix (at least 3 letters). A
 * word with inner punctuation (l'état, Zaporizhzhia-2) is the phrase of its parts. Nothing else is
 * syntax: quotes only group, and operators of the databases' own query languages (NEAR, OR, AND,
 * NOT, -, :, ^, parentheses) are words or separators, never passed on.
 */
export interface Clause {
  words: string[];
  /** The last word matches as a prefix. */
  prefix: boolean;
}

const badQ = (message: string) => invalid([{ field: 'query.q', message }]);

export const MAX_CLAUSES = 12;
export const MIN_PREFIX = 3;

export function parseSearch(q: string): Clause[] {
  const clauses: Clause[] = [];
  // "…" (a missing closing quote runs to the end), else a run without spaces or quotes.
  for (const m of q.matchAll(/"([^"]*)"?|[^\s"]+/g)) {
    const phrase = m[1] !== undefined;
    const raw = phrase ? m[1] : m[0];
    const words = wordsOf(raw).map((w) => w.word);
    if (words.length === 0) continue;
    const prefix = !phrase && /[\p{L}\p{N}]\*+$/u.test(raw);
    if (prefix && words[words.length - 1].length < MIN_PREFIX) {
      throw badQ(`a prefix (a word ending in *) needs at least ${MIN_PREFIX} letters`);
    }
    clauses.push({ words, prefix });
  }
  if (clauses.length === 0) throw badQ('must contain at least one word (letters or digits)');
  if (clauses.length > MAX_CLAUSES) throw badQ(`must have at most ${MAX_CLAUSES} words or phrases`);
  return clauses;
}
