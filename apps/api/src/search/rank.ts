import type { SearchField, SnippetPart } from '@parley/contracts';
import { wordsOf, type Word } from './fold';
import type { Clause } from './search-query';

/**
 * One ranking for both databases: each database only finds candidates, and every candidate is
 * checked and scored here, from its texts, so the same data gives the same list on SQLite and
 * PostgreSQL.
 *
 * - A hit must match every clause in one of its fields (a phrase within one field).
 * - score = Σ over the clauses of the weight of the best field it matches in (FIELD_WEIGHT: a quote
 *   or its translation 5, a title 4, a provision's text 3, a note, an outlet or a retraction's reason 2, a description or
 *   a source's archived text 1).
 * - Ties: newer first (a stance's effective time, a provision's document date, a source's
 *   publication date else its last change, a point's last change, an archived copy's source's
 *   publication date else its archiving), then stance, point, provision, source, archive, proposal, then id.
 */
export const FIELD_WEIGHT: Record<SearchField, number> = { quote: 5, translation: 5, title: 4, text: 3, note: 2, outlet: 2, description: 1, archived: 1, reason: 2 };

/** A candidate's searched texts, in the order a tie between fields is decided. */
export type Fields = ReadonlyArray<readonly [SearchField, string | null]>;

export interface Ranked {
  score: number;
  field: SearchField;
  snippet: SnippetPart[];
}

const SNIPPET = 200;
const BEFORE = 60;

/** Where a clause matches in a field's words: [first word, last word] of each occurrence. */
function occurrences(words: Word[], clause: Clause): Array<[number, number]> {
  const n = clause.words.length;
  const found: Array<[number, number]> = [];
  for (let i = 0; i + n <= words.length; i++) {
    let ok = true;
    for (let j = 0; j < n && ok; j++) {
      const w = words[i + j].word;
      const want = clause.words[j];
      ok = clause.prefix && j === n - 1 ? w.startsWith(want) : w === want;
    }
    if (ok) found.push([i, i + n - 1]);
  }
  return found;
}

/** The candidate's score, best field and snippet, or null when some clause matches in none of its fields. */
export function rank(fields: Fields, clauses: readonly Clause[]): Ranked | null {
  const scored = fields.flatMap(([field, text]) => {
    if (!text) return [];
    const words = wordsOf(text);
    const hits = clauses.map((c) => occurrences(words, c));
    return [{ field, text, words, hits }];
  });
  let score = 0;
  for (let c = 0; c < clauses.length; c++) {
    const best = Math.max(0, ...scored.filter((f) => f.hits[c].length > 0).map((f) => FIELD_WEIGHT[f.field]));
    if (best === 0) return null;
    score += best;
  }
  // The snippet's field: the one whose matched clauses weigh most (the first of equals).
  let shown = scored[0];
  let shownWeight = -1;
  for (const f of scored) {
    const weight = f.hits.filter((h) => h.length > 0).length * FIELD_WEIGHT[f.field];
    if (weight > shownWeight) [shown, shownWeight] = [f, weight];
  }
  return { score, field: shown.field, snippet: snippetOf(shown.text, shown.words, shown.hits.flat()) };
}

/** About SNIPPET characters of `text` from a little before its first match, the matches marked. */
function snippetOf(text: string, words: Word[], matches: Array<[number, number]>): SnippetPart[] {
  const ranges = matches.map(([a, b]) => [words[a].start, words[b].end] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const first = ranges[0]?.[0] ?? 0;
  let from = Math.max(0, first - BEFORE);
  // Start at a word's beginning, end at a word's end.
  if (from > 0) from = words.find((w) => w.start >= from)?.start ?? from;
  let to = Math.min(text.length, from + SNIPPET);
  if (to < text.length) to = [...words].reverse().find((w) => w.end <= to && w.end > first)?.end ?? to;
  const parts: SnippetPart[] = [];
  const push = (s: string, match: boolean) => {
    if (s) parts.push({ text: s, match });
  };
  if (from > 0) push('…', false);
  let at = from;
  for (const [a, b] of ranges) {
    if (b <= at || a >= to) continue;
    const start = Math.max(a, at);
    const end = Math.min(b, to);
    push(text.slice(at, start), false);
    push(text.slice(start, end), true);
    at = end;
  }
  push(text.slice(at, to), false);
  if (to < text.length) push('…', false);
  // Adjacent plain parts (the ellipses) join their neighbours.
  return parts.reduce<SnippetPart[]>((out, p) => {
    const last = out[out.length - 1];
    if (last && !last.match && !p.match) last.text += p.text;
    else out.push({ ...p });
    return out;
  }, []);
}
