/** The last change sequence number this browser has shown for a negotiation, kept in localStorage. */
const keyOf = (slug: string) => `parley:lastSeenSeq:${slug}`;

export function readLastSeen(slug: string): number | null {
  try {
    const raw = window.localStorage.getItem(keyOf(slug));
    const n = raw === null ? Number.NaN : Number(raw);
    return Number.isInteger(n) && n >= 0 ? n : null;
  } catch {
    return null; // storage disabled (private mode, policy): behave as a first visit
  }
}

export function writeLastSeen(slug: string, seq: number): void {
  try {
    window.localStorage.setItem(keyOf(slug), String(seq));
  } catch {
    // Not fatal: the marker just will not persist.
  }
}
