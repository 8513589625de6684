import './lineage.css';
import { POSITION_LABEL, type CarryStancesResult } from '@parley/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { asApiError, postJson } from '../../shared/api';
import { ErrorNotice, Loading } from '../../shared/QueryState';
import { useParties } from '../../shared/use-parties';
import { useAuth } from '../auth/AuthProvider';
import { isMatrixKeyOf } from '../live/matrix-cache';
import { FormActions } from '../modal/FormActions';
import { Modal } from '../modal/Modal';
import { carryPath, choicesOf, hasWork, itemText, resultText } from './carry';

interface Props {
  slug: string;
  point: { id: string; code: string };
  onClose: () => void;
}

/**
 * Offers to carry a split or merged point's parents' current stances to it (issue 18, item 6): the
 * API's plan (dryRun) per party, a choice of parent where the parents differ, then one request that
 * records them all (or makes proposals, when the negotiation requires review).
 */
export function CarryStancesDialog({ slug, point, onClose }: Props) {
  const ids = useId();
  const client = useQueryClient();
  const { session } = useAuth();
  const token = session?.token ?? null;
  const parties = useParties(slug);
  const plan = useQuery({
    queryKey: ['carry-plan', slug, point.id],
    queryFn: () => postJson<CarryStancesResult>(carryPath(slug, point.id), { dryRun: true }, { token }),
    staleTime: 0,
    gcTime: 0,
  });
  const [picked, setPicked] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<CarryStancesResult | null>(null);
  const nameOf = new Map((parties.data ?? []).map((p) => [p.id, p.name]));

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!plan.data) return;
    const choices = choicesOf(plan.data, picked);
    if (choices === null) {
      setError('Choose a parent for every party whose parents differ.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await postJson<CarryStancesResult>(carryPath(slug, point.id), choices.length ? { choices } : {}, { token });
      setDone(result);
      void client.invalidateQueries({ predicate: (q) => isMatrixKeyOf(q.queryKey, slug) || (q.queryKey[0] === 'point-history' && q.queryKey[1] === slug) });
    } catch (err) {
      setError(asApiError(err).message);
      void plan.refetch();
    } finally {
      setBusy(false);
    }
  };

  const title = `Carry the parents' stances to ${point.code}`;
  if (done) {
    return (
      <Modal title={title} onClose={onClose}>
        <p role="status" data-testid="carry-result">
          {resultText(done)}
        </p>
        <ul className="carry-list">
          {done.items.map((item) => (
            <li key={item.partyId}>
              <strong>{nameOf.get(item.partyId) ?? item.partyId}</strong>: {itemText(item)}
            </li>
          ))}
        </ul>
        <div className="form-actions">
          <button type="button" className="primary" onClick={onClose} data-autofocus>
            Close
          </button>
        </div>
      </Modal>
    );
  }
  return (
    <Modal title={title} onClose={onClose}>
      {plan.isPending ? (
        <Loading what="what the parents say" />
      ) : plan.isError ? (
        <ErrorNotice error={plan.error} what="the parents' stances" onRetry={() => void plan.refetch()} />
      ) : (
        <form className="edit-form" noValidate onSubmit={(e) => void onSubmit(e)} aria-busy={busy}>
          <p className="hint">
            Each party's current stance on the parent points, recorded on {point.code} citing the same source
            {plan.data.reviewRequired ? ' — as proposals: this negotiation requires review' : ''}. A party that already has a stance here is skipped.
          </p>
          <ul className="carry-list" aria-label="Per party">
            {plan.data.items.map((item) => (
              <li key={item.partyId} data-status={item.status}>
                <strong>{nameOf.get(item.partyId) ?? item.partyId}</strong>: {itemText(item)}
                {item.status === 'choice_required' ? (
                  <select
                    aria-label={`Parent for ${nameOf.get(item.partyId) ?? item.partyId}`}
                    id={`${ids}-${item.partyId}`}
                    value={picked[item.partyId] ?? ''}
                    onChange={(e) => setPicked((p) => ({ ...p, [item.partyId]: e.target.value }))}
                  >
                    <option value="">— choose —</option>
                    {item.candidates.map((c) => (
                      <option key={c.pointId} value={c.pointId}>
                        {c.pointCode}: {POSITION_LABEL[c.position]} ({c.effectiveAt.slice(0, 10)})
                      </option>
                    ))}
                  </select>
                ) : null}
              </li>
            ))}
          </ul>
          {hasWork(plan.data) ? (
            <FormActions error={error} busy={busy} label={plan.data.reviewRequired ? 'Propose for review' : 'Carry stances'} busyLabel="Carrying…" onCancel={onClose} />
          ) : (
            <div className="form-actions">
              <p>Nothing to carry.</p>
              <button type="button" onClick={onClose}>
                Close
              </button>
            </div>
          )}
        </form>
      )}
    </Modal>
  );
}
