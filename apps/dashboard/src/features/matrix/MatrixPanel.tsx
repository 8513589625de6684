import type { MatrixView } from '@parley/contracts';
import { useCallback, useRef, useState } from 'react';
import { ErrorNotice, Loading } from '../../app/QueryState';
import { useAuth } from '../auth/AuthProvider';
import { StanceDialog } from '../stance-form/StanceDialog';
import type { StanceTarget } from '../stance-form/types';
import { Legend } from './Legend';
import { MatrixTable } from './MatrixTable';
import { useMatrix } from './use-matrix';

interface Props {
  slug: string;
  asOf: string | null;
  /** Opens the point's detail (row header). */
  onOpenPoint?: (pointId: string) => void;
  /** Opens the party's view (column header). */
  onOpenParty?: (partyId: string) => void;
}

/** Loads the matrix of one negotiation at one date and shows it; in analyst mode a cell opens the stance form. */
export function MatrixPanel({ slug, asOf, onOpenPoint, onOpenParty }: Props) {
  const matrix = useMatrix(slug, asOf);
  const { analyst } = useAuth();
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

  if (matrix.isPending) return <Loading what="the matrix" />;
  if (matrix.isError) return <ErrorNotice error={matrix.error} what="the matrix" onRetry={() => void matrix.refetch()} />;

  const view = matrix.data;
  const caption = asOf ? `Positions as of ${asOf} (end of day, UTC)` : 'Positions now';
  return (
    <section aria-busy={matrix.isFetching} className={matrix.isPlaceholderData ? 'is-stale' : undefined}>
      <Legend />
      {analyst ? <p className="hint analyst-hint">Analyst mode: choose a cell to record a stance.</p> : null}
      <MatrixTable
        view={view}
        caption={caption}
        onEdit={analyst ? onEdit : undefined}
        onOpenPoint={onOpenPoint}
        onOpenParty={onOpenParty}
      />
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
