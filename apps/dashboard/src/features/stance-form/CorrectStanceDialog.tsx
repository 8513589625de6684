import type { MatrixView, Party, Point, StanceEvent } from '@parley/contracts';
import { useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { ErrorNotice, Loading } from '../../shared/QueryState';
import { matrixQuery } from '../../shared/use-matrix';
import { useParties } from '../../shared/use-parties';
import { usePoints } from '../editing/use-lists';
import { Modal } from '../modal/Modal';
import { StanceDialog } from './StanceDialog';
import type { StanceTarget } from './types';

interface Props {
  slug: string;
  /** The event to correct (not retracted). */
  event: StanceEvent;
  onClose: () => void;
}

/**
 * "Correct" from a point's stance timeline: the stance form on the event's cell, opened with the
 * event's values, in correct mode. The cell's version comes from the "now" matrix (the one the live
 * client keeps current; usually cached already) and is always sent as expectedVersion, so a change
 * made meanwhile is a 409 shown side by side, never silently replaced.
 */
export function CorrectStanceDialog({ slug, event, onClose }: Props) {
  const matrix = useQuery(matrixQuery(slug, null));
  const parties = useParties(slug);
  const points = usePoints(slug);
  // The cell as it was when the form opened: the live client keeps patching the matrix, and a change
  // arriving meanwhile must be a 409 on save, not silently become the version the correction replaces.
  const opened = useRef<StanceTarget | null>(null);
  if (matrix.isPending || parties.isPending || points.isPending) {
    return (
      <Modal title="Correct a stance" onClose={onClose}>
        <Loading what="the cell" />
      </Modal>
    );
  }
  if (matrix.isError) {
    return (
      <Modal title="Correct a stance" onClose={onClose}>
        <ErrorNotice error={matrix.error} what="the cell" onRetry={() => void matrix.refetch()} />
      </Modal>
    );
  }
  opened.current ??= targetOf(event, matrix.data, parties.data, points.data);
  return <StanceDialog slug={slug} target={opened.current} correcting={event} onClose={onClose} />;
}

function targetOf(event: StanceEvent, matrix: MatrixView, parties: readonly Party[] | undefined, points: readonly Point[] | undefined): StanceTarget {
  const row = matrix.rows.find((r) => r.point.id === event.pointId);
  const cell = row?.cells[event.partyId];
  const point = points?.find((p) => p.id === event.pointId) ?? row?.point;
  const target: StanceTarget = {
    partyId: event.partyId,
    partyName: parties?.find((p) => p.id === event.partyId)?.name ?? event.partyId,
    pointId: event.pointId,
    pointLabel: point ? `${point.code} ${point.title}` : event.pointId,
    // No cell in today's matrix: no event in force there (version 0 would be refused if it had some; the 409 then shows the cell).
    version: cell?.version ?? 0,
    current: cell?.stance ?? null,
  };
  return target;
}
