import { ROW_STATUSES, SOURCE_KINDS, type RowStatus, type SourceKind } from '@parley/contracts';
import { useCallback, useSyncExternalStore } from 'react';

export const VIEWS = ['matrix', 'columns', 'trends', 'activity', 'party', 'sources', 'review'] as const;
/** The screen shown in the main area; `matrix` is the default and is left out of the URL. */
export type ViewName = (typeof VIEWS)[number];

/** The query-string keys the dashboard keeps in the URL. */
export interface DashboardParams {
  /** Negotiation slug. */
  n: string | null;
  /** "As of" day, YYYY-MM-DD; null = now. */
  asOf: string | null;
  /** "Known at" day or instant (audit view: what Parley had recorded by then); null = everything. */
  knownAt: string | null;
  view: ViewName;
  /** Point whose detail drawer is open. */
  point: string | null;
  /** Party shown by the party view. */
  party: string | null;
  /** `big`: wall-display mode without controls. */
  screen: 'big' | null;
  /** Matrix filter: one point category; null = all. */
  cat: string | null;
  /** Matrix filter: row status; null = all. */
  status: RowStatus | null;
  /** Matrix filter: codes of the party columns shown, comma-separated; null = all. */
  parties: string | null;
  /** Matrix search text (point titles and the chosen document's provision text). */
  q: string | null;
  /** Document whose numbering and text the matrix shows. */
  doc: string | null;
  /** Source whose panel is open (every stance citing it, its archived copy), over any view. */
  source: string | null;
  /** Sources view filter: words in a source's outlet, headline, description, URL, language or date. */
  srcQ: string | null;
  /** Sources view filter: one kind of source. */
  srcKind: SourceKind | null;
  /** Sources view filter: one outlet. */
  srcOutlet: string | null;
  /** Sources view order by publication date: `oldest` first; null = newest first. */
  srcSort: 'oldest' | null;
  /** Four-column view: ids of the documents shown as columns, comma-separated; null = all (as of the date). */
  docs: string | null;
  /** Milestone whose page is open (its stances), over any view. */
  milestone: string | null;
  /** Review queue (staff): the proposal selected. */
  proposal: string | null;
  /** Review queue filter: the author's email. */
  rvAuthor: string | null;
  /** Review queue filter: one party's id. */
  rvParty: string | null;
  /** Review queue filter: one point's id. */
  rvPoint: string | null;
}

/** agreed / blocked as the row summary says; open: positions stated, neither agreed nor blocked; none: no positions. */
export { ROW_STATUSES, type RowStatus };

function isRowStatus(v: string | null): v is RowStatus {
  return (ROW_STATUSES as readonly (string | null)[]).includes(v);
}

const CHANGE_EVENT = 'parley:urlchange';
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;
/** Values that equal the default are removed from the URL, so shared links stay short. */
const DEFAULTS: Partial<Record<keyof DashboardParams, string>> = { view: 'matrix' };

function isSourceKind(v: string | null): v is SourceKind {
  return (SOURCE_KINDS as readonly (string | null)[]).includes(v);
}

function isView(v: string | null): v is ViewName {
  return (VIEWS as readonly (string | null)[]).includes(v);
}

/** Reads the dashboard parameters from a query string, dropping malformed values. */
export function parseParams(search: string): DashboardParams {
  const q = new URLSearchParams(search);
  const n = q.get('n')?.trim() || null;
  const asOf = q.get('asOf');
  const knownAt = q.get('knownAt');
  const view = q.get('view');
  const status = q.get('status');
  const srcKind = q.get('srcKind');
  return {
    n,
    asOf: asOf && DAY_RE.test(asOf) ? asOf : null,
    knownAt: knownAt && INSTANT_RE.test(knownAt) ? knownAt : null,
    view: isView(view) ? view : 'matrix',
    point: q.get('point')?.trim() || null,
    party: q.get('party')?.trim() || null,
    screen: q.get('screen') === 'big' ? 'big' : null,
    cat: q.get('cat')?.trim() || null,
    status: isRowStatus(status) ? status : null,
    parties: q.get('parties')?.trim() || null,
    // The search text is kept as typed (spaces included); only an empty one is dropped.
    q: q.get('q') || null,
    doc: q.get('doc')?.trim() || null,
    source: q.get('source')?.trim() || null,
    srcQ: q.get('srcQ') || null,
    srcKind: isSourceKind(srcKind) ? srcKind : null,
    srcOutlet: q.get('srcOutlet') || null,
    srcSort: q.get('srcSort') === 'oldest' ? 'oldest' : null,
    docs: q.get('docs')?.trim() || null,
    milestone: q.get('milestone')?.trim() || null,
    proposal: q.get('proposal')?.trim() || null,
    rvAuthor: q.get('rvAuthor')?.trim() || null,
    rvParty: q.get('rvParty')?.trim() || null,
    rvPoint: q.get('rvPoint')?.trim() || null,
  };
}

/** Applies a patch to a query string; null, '' or the default value removes the key. Other keys are kept. */
export function patchSearch(search: string, patch: Partial<DashboardParams>): string {
  const q = new URLSearchParams(search);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === undefined || value === '' || DEFAULTS[key as keyof DashboardParams] === value) q.delete(key);
    else q.set(key, value);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE_EVENT, onChange);
  };
}

const getSearch = () => window.location.search;

/** The dashboard parameters kept in the URL, and a setter that updates the URL (back/forward work). */
export function useUrlParams(): [DashboardParams, (patch: Partial<DashboardParams>, opts?: { replace?: boolean }) => void] {
  const search = useSyncExternalStore(subscribe, getSearch, () => '');
  const set = useCallback((patch: Partial<DashboardParams>, opts?: { replace?: boolean }) => {
    const next = patchSearch(window.location.search, patch);
    if (next === window.location.search) return;
    const url = `${window.location.pathname}${next}${window.location.hash}`;
    if (opts?.replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    window.dispatchEvent(new Event(CHANGE_EVENT));
  }, []);
  return [parseParams(search), set];
}
