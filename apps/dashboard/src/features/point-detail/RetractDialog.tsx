import { RetractInput, type Proposal, type RecordStanceResult, type StanceEvent } from '@parley/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useAuth } from '../auth/AuthProvider';
import { asApiError, postJson } from '../../shared/api';
import { applyProposal } from '../review/proposals';
import { applyCell } from '../live/apply-change';
import { Modal } from '../modal/Modal';
import { FormActions } from '../modal/FormActions';

interface Props {
  slug: string;
  event: StanceEvent;
  /** "Russia: Red line, effective 2025-11-21", for the title. */
  label: string;
  onClose: () => void;
}

/**
 * Retracts one stance event with a reason (a correction: the event stays in the history, struck
 * through). The reason is required, checked with the shared schema before anything is sent.
 */
export function RetractDialog({ slug, event, label, onClose }: Props) {
  const ids = useId();
  const queryClient = useQueryClient();
  const { session, expire } = useAuth();
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = RetractInput.safeParse({ reason });
    if (!parsed.success) {
      setFieldError(parsed.error.issues[0]?.message ?? 'is not valid');
      document.getElementById(`${ids}-reason`)?.focus();
      return;
    }
    setFieldError(null);
    setFormError(null);
    setBusy(true);
    let retracted: RecordStanceResult | Proposal;
    try {
      retracted = await postJson<RecordStanceResult | Proposal>(`/stance-events/${encodeURIComponent(event.id)}/retract`, parsed.data, {
        token: session?.token,
      });
    } catch (err) {
      const refused = asApiError(err);
      setBusy(false);
      if (refused.status === 401) {
        expire();
        setFormError('Your session expired. Sign in again; the reason you typed is still here.');
        return;
      }
      const reasonProblem = refused.details.find((d) => d.field.replace(/^body\./, '') === 'reason');
      if (reasonProblem) setFieldError(reasonProblem.message);
      else setFormError(refused.code === 'ALREADY_RETRACTED' ? 'This event was already retracted (perhaps by someone else). Close and look again.' : refused.message);
      return;
    }
    setBusy(false);
    if ('baseVersion' in retracted) {
      // Review policy required: a proposal (202), published once a second person approves it.
      applyProposal(queryClient, slug, retracted);
      onClose();
      return;
    }
    // Show the cell as it is after the retraction at once; the live update that follows is a no-op.
    applyCell(queryClient, slug, retracted.cell);
    void queryClient.invalidateQueries({ queryKey: ['point-history', slug, event.pointId] });
    onClose();
  };

  return (
    <Modal title={`Retract: ${label}`} onClose={onClose}>
      <form className="retract-form" noValidate onSubmit={(e) => void onSubmit(e)} aria-busy={busy}>
        <p className="hint">The event stays in the history, struck through, with your reason. The cell falls back to the previous stance.</p>
        <div className={`form-row${fieldError ? ' form-row--invalid' : ''}`}>
          <label htmlFor={`${ids}-reason`}>Reason (required)</label>
          <textarea
            id={`${ids}-reason`}
            rows={3}
            value={reason}
            required
            data-autofocus
            aria-invalid={fieldError ? true : false}
            aria-describedby={fieldError ? `${ids}-reason-error` : undefined}
            onChange={(e) => {
              setReason(e.target.value);
              if (fieldError) setFieldError(null);
            }}
          />
          {fieldError ? (
            <span id={`${ids}-reason-error`} className="field-error">
              Reason {fieldError}
            </span>
          ) : null}
        </div>
        <FormActions error={formError} busy={busy} label="Retract event" busyLabel="Retracting…" onCancel={onClose} />
      </form>
    </Modal>
  );
}
