import type { DiffOp, DiffPart } from '@parley/contracts';

/** Above this many token pairs the LCS table (2 bytes a pair) is too costly: fall back to replace-all. */
export const MAX_DIFF_CELLS = 4_000_000;

/** Words and the whitespace between them, so that joining the tokens gives back the text exactly. */
export function tokenize(text: string): string[] {
  return text.match(/\s+|\S+/g) ?? [];
}

class PartList {
  readonly parts: DiffPart[] = [];

  push(op: DiffOp, text: string): void {
    if (text === '') return;
    const last = this.parts[this.parts.length - 1];
    if (last !== undefined && last.op === op) last.text += text;
    else this.parts.push({ op, text });
  }
}

/** Tokens as small integers: the LCS table compares numbers millions of times, not strings. */
function internTokens(a: readonly string[], b: readonly string[]): [Uint32Array, Uint32Array] {
  const ids = new Map<string, number>();
  const idOf = (token: string): number => {
    let id = ids.get(token);
    if (id === undefined) {
      id = ids.size;
      ids.set(token, id);
    }
    return id;
  };
  return [Uint32Array.from(a, idOf), Uint32Array.from(b, idOf)];
}

function diffByLcs(a: readonly string[], b: readonly string[], out: PartList): void {
  const [ia, ib] = internTokens(a, b);
  const n = a.length;
  const m = b.length;
  const width = m + 1;
  // lcs[i * width + j] = LCS length of a[i..] and b[j..]. Under MAX_DIFF_CELLS the shorter side has
  // at most 2,000 tokens, so the length always fits in 16 bits.
  const lcs = new Uint16Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      lcs[i * width + j] =
        ia[i] === ib[j]
          ? lcs[(i + 1) * width + j + 1] + 1
          : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (ia[i] === ib[j]) {
      out.push('equal', a[i]);
      i += 1;
      j += 1;
    } else if (lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) {
      // On a tie the deletion goes first, so a replaced word reads "old → new".
      out.push('delete', a[i]);
      i += 1;
    } else {
      out.push('insert', b[j]);
      j += 1;
    }
  }
  for (; i < n; i += 1) out.push('delete', a[i]);
  for (; j < m; j += 1) out.push('insert', b[j]);
}

/**
 * Word-level diff from `a` to `b`: equal + delete parts rebuild `a`, equal + insert parts rebuild `b`.
 * The common prefix and suffix are matched first and only the middle goes through the LCS, so the
 * size guard applies to the part that actually differs: a long provision with one changed word is
 * still diffed word by word.
 */
export function wordDiff(a: string, b: string): DiffPart[] {
  const out = new PartList();
  if (a === b) {
    out.push('equal', a);
    return out.parts;
  }
  const ta = tokenize(a);
  const tb = tokenize(b);
  let prefix = 0;
  while (prefix < ta.length && prefix < tb.length && ta[prefix] === tb[prefix]) prefix += 1;
  let suffix = 0;
  while (
    suffix < ta.length - prefix &&
    suffix < tb.length - prefix &&
    ta[ta.length - 1 - suffix] === tb[tb.length - 1 - suffix]
  ) {
    suffix += 1;
  }
  const midA = ta.slice(prefix, ta.length - suffix);
  const midB = tb.slice(prefix, tb.length - suffix);

  out.push('equal', ta.slice(0, prefix).join(''));
  if (midA.length * midB.length > MAX_DIFF_CELLS) {
    out.push('delete', midA.join(''));
    out.push('insert', midB.join(''));
  } else {
    diffByLcs(midA, midB, out);
  }
  out.push('equal', ta.slice(ta.length - suffix).join(''));
  return out.parts;
}
