import type { Proposal, RecordStanceResult, StanceEvent } from '@parley/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useAuth } from '../auth/AuthProvider';
import { asApiError, postJson } from '../../shared/api';
import { applyCell } from '../live/apply-change';
import type { CellUpdate } from '../live/matrix-cache';
import { Modal } from '../modal/Modal';
import { applyProposal } from '../review/proposals';
import { sourcesKey, useSources } from '../sources/use-sources';
import { useParties } from '../../shared/use-parties';
import { useDocuments } from '../documents/use-documents';
import { usePoints } from '../editing/use-lists';
import { useMilestones } from '../trends/use-trends';
import { StanceForm } from './StanceForm';
import type { StanceTarget, SubmitStance } from './types';

interface Props {
  slug: string;
  target: StanceTarget;
  onClose: () => void;
  /** Correct this event of the cell (retract it and record the form's stance in one step, with a reason). */
  correcting?: StanceEvent;
}

/** The stance form in a dialog, wired to the API, the session and the matrix cache. */
export function StanceDialog({ slug, target, onClose, correcting }: Props) {
  const queryClient = useQueryClient();
  const { session, expire } = useAuth();
  const parties = useParties(slug);
  const actors = parties.data?.find((p) => p.id === target.partyId)?.actors.filter((a) => !a.retired) ?? [];
  const token = session?.token;
  const sourceMap = useSources(slug).data;
  const sources = useMemo(() => (sourceMap ? [...sourceMap.values()] : []), [sourceMap]);
  const points = usePoints(slug).data;
  const documents = useDocuments(slug).data;
  const milestones = useMilestones(slug).data;

  const submit = useCallback<SubmitStance>(
    async (body, idempotencyKey, reason) => {
      const n = `/negotiations/${encodeURIComponent(slug)}`;
      const [path, request] =
        correcting && reason !== undefined
          ? // The correction always carries the cell's version (the body's expectedVersion): the route requires it.
            [`${n}/stances/${encodeURIComponent(correcting.id)}/correct`, { ...body, reason }]
          : [`${n}/stances`, body];
      try {
        const result = await postJson<RecordStanceResult | Proposal>(path, request, {
          token,
          headers: { 'idempotency-key': idempotencyKey },
        });
        // Review policy required: a proposal (202), published once a second person approves it.
        if ('baseVersion' in result) return { kind: 'proposed', proposal: result };
        return { kind: 'saved', result };
      } catch (err) {
        const refused = asApiError(err);
        if (refused.status === 401) {
          expire();
          return { kind: 'expired' };
        }
        if (refused.status === 409 && refused.code === 'VERSION_CONFLICT' && refused.current) {
          return { kind: 'conflict', theirs: refused.current as CellUpdate };
        }
        if (refused.status === 400 || refused.status === 422) {
          return { kind: 'invalid', message: refused.message, details: [...refused.details] };
        }
        return { kind: 'error', message: refused.message };
      }
    },
    [slug, token, expire, correcting],
  );

  // Show the saved (or their) cell at once; the live update that follows is then a no-op.
  const show = (cell: CellUpdate) => applyCell(queryClient, slug, cell);

  return (
    <Modal title={`${correcting ? 'Correct: ' : ''}${target.partyName} on ${target.pointLabel}`} onClose={onClose} className="modal--wide">
      <StanceForm
        target={target}
        actors={actors}
        sources={sources}
        points={points}
        documents={documents}
        milestones={milestones}
        correcting={correcting}
        submit={submit}
        onSaved={(outcome) => {
          if (outcome.kind === 'proposed') {
            // The form says it was sent for review; its Close button closes the dialog.
            applyProposal(queryClient, slug, outcome.proposal);
            return;
          }
          show(outcome.result.cell);
          // The source cited (or created) counts one more citing stance.
          void queryClient.invalidateQueries({ queryKey: sourcesKey(slug) });
          // The point's history shows the event (a correction: struck through, with the new one).
          void queryClient.invalidateQueries({ queryKey: ['point-history', slug, target.pointId] });
          onClose();
        }}
        onTakeTheirs={(theirs) => {
          show(theirs);
          onClose();
        }}
        onCancel={onClose}
      />
    </Modal>
  );
}
