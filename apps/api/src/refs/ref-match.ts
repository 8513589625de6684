import { isUuid } from '../common/ids';

/** A row a reference may name: its id and its code (a negotiation's slug). */
export interface Named {
  id: string;
  code: string;
}

export type Match = { id: string } | { ambiguous: Named[] } | null;

/** Whether a reference is shaped like a code (Code in libs/contracts): only such a string is looked up. */
export const CODE_SHAPE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/**
 * The rule every reference follows (the one place it is written): a UUID-shaped string is an id
 * first; otherwise, or when no row has that id, the code, exactly as written first, then ignoring
 * case ("ru" finds "RU"). Codes are unique as written, so only a case-insensitive match can name two
 * rows ("RU" and "Ru"): that is ambiguous, and the caller names the candidates.
 */
export function matchRef(rows: readonly Named[], ref: string): Match {
  if (isUuid(ref)) {
    const id = ref.toLowerCase();
    const byId = rows.find((r) => r.id === id);
    if (byId) return { id: byId.id };
  }
  if (!CODE_SHAPE.test(ref)) return null;
  const exact = rows.find((r) => r.code === ref);
  if (exact) return { id: exact.id };
  const folded = ref.toLowerCase();
  const alike = rows.filter((r) => r.code.toLowerCase() === folded);
  if (alike.length === 1) return { id: alike[0].id };
  if (alike.length > 1) return { ambiguous: [...alike].sort((a, b) => (a.code < b.code ? -1 : 1)) };
  return null;
}
