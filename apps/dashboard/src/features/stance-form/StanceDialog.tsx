import type { RecordStanceResult } from '@parley/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useAuth } from '../auth/AuthProvider';
import { asApiError, postJson } from '../../shared/api';
import { applyCell } from '../live/apply-change';
import type { CellUpdate } from '../live/matrix-cache';
import { Modal } from '../modal/Modal';
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
}

/** The stance form in a dialog, wired to the API, the session and the matrix cache. */
export function StanceDialog({ slug, target, onClose }: Props) {
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
    async (body, idempotencyKey) => {
      try {
        const result = await postJson<RecordStanceResult>(`/negotiations/${encodeURIComponent(slug)}/stances`, body, {
          token,
          headers: { 'idempotency-key': idempotencyKey },
        });
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
    [slug, token, expire],
  );

  // Show the saved (or their) cell at once; the live update that follows is then a no-op.
  const show = (cell: CellUpdate) => applyCell(queryClient, slug, cell);

  return (
    <Modal title={`${target.partyName} on ${target.pointLabel}`} onClose={onClose} className="modal--wide">
      <StanceForm
        target={target}
        actors={actors}
        sources={sources}
        points={points}
        documents={documents}
        milestones={milestones}
        submit={submit}
        onSaved={({ result }) => {
          show(result.cell);
          // The source cited (or created) counts one more citing stance.
          void queryClient.invalidateQueries({ queryKey: sourcesKey(slug) });
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
