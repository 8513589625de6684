import { useCallback, useSyncExternalStore } from 'react';

/**
 * "What changed since my last visit": the last change sequence number this browser has shown for a
 * negotiation, and when, kept in localStorage. Each view that shows the latest state records it;
 * markers compare against the value found when the page first asked (the page's baseline), so they
 * stay put while the viewer moves between views, until "mark as seen".
 */
const seqKey = (slug: string) => `parley:lastSeenSeq:${slug}`;
const atKey = (slug: string) => `parley:lastSeenAt:${slug}`;

/** The viewer's previous visit: the last sequence number shown then, and when (null when not known). */
export interface LastVisit {
  seq: number;
  at: string | null;
}

export function readLastSeen(slug: string): number | null {
  try {
    const raw = window.localStorage.getItem(seqKey(slug));
    const n = raw === null ? Number.NaN : Number(raw);
    return Number.isInteger(n) && n >= 0 ? n : null;
  } catch {
    return null; // storage disabled (private mode, policy): behave as a first visit
  }
}

export function readLastVisit(slug: string): LastVisit | null {
  const seq = readLastSeen(slug);
  if (seq === null) return null;
  try {
    const at = window.localStorage.getItem(atKey(slug));
    return { seq, at: at && !Number.isNaN(Date.parse(at)) ? at : null };
  } catch {
    return { seq, at: null };
  }
}

export function writeLastSeen(slug: string, seq: number, at: Date = new Date()): void {
  try {
    window.localStorage.setItem(seqKey(slug), String(seq));
    window.localStorage.setItem(atKey(slug), at.toISOString());
  } catch {
    // Not fatal: the marker just will not persist.
  }
}

// The baseline per negotiation: read from storage once per page, changed only by markSeen.
const baselines = new Map<string, LastVisit | null>();
const listeners = new Set<() => void>();

function baselineOf(slug: string): LastVisit | null {
  if (!baselines.has(slug)) baselines.set(slug, readLastVisit(slug));
  return baselines.get(slug) ?? null;
}

/** Sets the baseline to `seq` (now) and stores it: the markers clear. */
export function markSeen(slug: string, seq: number, at: Date = new Date()): void {
  writeLastSeen(slug, seq, at);
  baselines.set(slug, { seq, at: at.toISOString() });
  for (const listener of listeners) listener();
}

/** Forgets the baselines read so far (tests; a new page starts empty anyway). */
export function resetLastVisitBaselines(): void {
  baselines.clear();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The viewer's previous visit to the negotiation as this page first found it (null: first visit), and how to mark everything seen. */
export function useLastVisit(slug: string): [LastVisit | null, (seq: number) => void] {
  const visit = useSyncExternalStore(subscribe, () => baselineOf(slug));
  const mark = useCallback((seq: number) => markSeen(slug, seq), [slug]);
  return [visit, mark];
}
