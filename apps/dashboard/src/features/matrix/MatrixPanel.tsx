import type { MatrixView } from '@parley/contracts';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ErrorNotice, Loading } from '../../shared/QueryState';
import type { DashboardParams } from '../../shared/url-state';
import { useLastVisit, writeLastSeen } from '../activity/last-seen';
import { SinceLastVisit } from '../activity/SinceLastVisit';
import { useAuth } from '../auth/AuthProvider';
import { scopeNote } from '../documents/DocumentScope';
import { useDocuments } from '../documents/use-documents';
import { filterParties, filterRows, NO_FILTER } from '../filters/matrix-filter';
import { MatrixFilters } from '../filters/MatrixFilters';
import { PendingContext, usePendingByCell } from '../review/pending';
import { StanceDialog } from '../stance-form/StanceDialog';
import type { StanceTarget } from '../stance-form/types';
import { Legend } from './Legend';
import { MatrixTable } from './MatrixTable';
import { changedSince, summaryOver } from './summary';
import { useMatrix } from '../../shared/use-matrix';

const NO_PENDING: ReadonlyMap<string, number> = new Map();

interface Props {
  slug: string;
  params: Pick<DashboardParams, 'asOf' | 'knownAt' | 'doc' | 'cat' | 'status' | 'parties' | 'q' | 'screen'>;
  setParams: (patch: Partial<DashboardParams>, opts?: { replace?: boolean }) => void;
  /** Opens the point's detail (row header). */
  onOpenPoint?: (pointId: string) => void;
  /** Opens the party's view (column header). */
  onOpenParty?: (partyId: string) => void;
}

/** Loads the matrix of one negotiation at one date and shows it; in analyst mode a cell opens the stance form. */
export function MatrixPanel({ slug, params, setParams, onOpenPoint, onOpenParty }: Props) {
  const { asOf, knownAt, doc, cat, status, parties: partiesParam, q } = params;
  const matrix = useMatrix(slug, asOf, { knownAt, documentId: doc });
  const documents = useDocuments(slug);
  const { analyst } = useAuth();
  // Staff: "1 pending" on the cells with proposals waiting (the current matrix only, not on a wall display).
  const pendingAll = usePendingByCell(slug);
  const pending = asOf === null && knownAt === null && params.screen !== 'big' ? pendingAll : NO_PENDING;
  const [target, setTarget] = useState<StanceTarget | null>(null);
  const viewRef = useRef<MatrixView | undefined>(undefined);
  viewRef.current = matrix.data;
  // Stable, so the memoized cells do not re-render; reads the view shown at the moment of the click,
  // whose cell version becomes the form's expectedVersion.
  const onEdit = useCallback((pointId: string, partyId: string) => {
    const view = viewRef.current;
    const row = view?.rows.find((r) => r.point.id === pointId);
    const party = view?.parties.find((p) => p.id === partyId);
    if (!row || !party) return;
    const cell = row.cells[party.id];
    setTarget({
      partyId: party.id,
      partyName: party.name,
      pointId: row.point.id,
      pointLabel: `${row.number ?? row.point.code} ${row.point.title}`,
      version: cell?.version ?? 0,
      current: cell?.stance ?? null,
    });
  }, []);

  // Filtering keeps the row and party objects, so memoized rows and cells stay memoized.
  const data = matrix.data;
  const allParties = data?.parties;
  const parties = useMemo(() => (allParties ? filterParties(allParties, partiesParam) : []), [allParties, partiesParam]);
  const someHidden = allParties !== undefined && parties.length < allParties.length;
  // With party columns hidden, row summaries (and the status filter and totals) count the shown ones.
  const resummarize = useMemo(() => (someHidden ? summaryOver(parties.map((p) => p.id)) : null), [someHidden, parties]);
  const rows = useMemo(
    () => (data ? filterRows(resummarize ? data.rows.map(resummarize) : data.rows, { cat, status, q, parties: null }) : []),
    [data, resummarize, cat, status, q],
  );

  // "Changed since your last visit" is about the latest state, seen by a person: not for a past date,
  // the audit view or the wall display.
  const latest = asOf === null && knownAt === null;
  const big = params.screen === 'big';
  const [visit, markSeen] = useLastVisit(slug);
  const lastSeen = latest && !big ? (visit?.seq ?? null) : null;
  const changedCount = useMemo(() => (lastSeen === null ? 0 : changedSince(rows, parties, lastSeen)), [rows, parties, lastSeen]);
  const seq = latest ? data?.seq : undefined;
  // This visit has shown the negotiation up to `seq`: the next visit's markers start from here.
  useEffect(() => {
    if (seq !== undefined) writeLastSeen(slug, seq);
  }, [slug, seq]);

  if (matrix.isPending) return <Loading what="the matrix" />;
  if (matrix.isError) return <ErrorNotice error={matrix.error} what="the matrix" onRetry={() => void matrix.refetch()} />;

  const view = { ...matrix.data, rows, parties };
  const caption = [
    asOf ? `Positions as of ${asOf} (end of day, UTC)` : 'Positions now',
    knownAt ? `as known at ${knownAt}` : null,
    scopeNote(documents.data ?? [], doc),
    someHidden ? `summaries over the ${parties.length} of ${matrix.data.parties.length} parties shown` : null,
  ]
    .filter(Boolean)
    .join(', ');
  const total = matrix.data.rows.length;
  return (
    <section aria-busy={matrix.isFetching} className={matrix.isPlaceholderData ? 'is-stale' : undefined}>
      {!big ? (
        <div className="matrix-toolbar">
          <MatrixFilters
            filter={{ cat, status, parties: partiesParam, q }}
            doc={doc}
            parties={matrix.data.parties}
            documents={documents.data ?? []}
            shown={rows.length}
            total={total}
            setParams={setParams}
          />
          <Legend />
        </div>
      ) : null}
      {analyst && !big ? <p className="hint analyst-hint">Analyst mode: choose a cell to record a stance.</p> : null}
      {visit && lastSeen !== null ? <SinceLastVisit count={changedCount} visit={visit} onMarkSeen={() => markSeen(matrix.data.seq)} /> : null}
      {rows.length === 0 && total > 0 ? (
        <p className="empty-state">
          No points match the filters.{' '}
          <button type="button" className="link-button" onClick={() => setParams({ ...NO_FILTER }, { replace: true })}>
            Clear filters
          </button>
        </p>
      ) : (
        <PendingContext.Provider value={pending}>
          <MatrixTable
            view={view}
            caption={caption}
            onEdit={analyst ? onEdit : undefined}
            onOpenPoint={onOpenPoint}
            onOpenParty={onOpenParty}
            showCategory={!big}
            lastSeen={lastSeen}
            autoScroll={big}
          />
        </PendingContext.Provider>
      )}
      {analyst && target ? (
        <StanceDialog
          slug={slug}
          target={target}
          onClose={() => setTarget(null)}
        />
      ) : null}
    </section>
  );
}
