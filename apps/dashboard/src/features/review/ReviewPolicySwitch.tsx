import { REVIEW_POLICIES, type Negotiation, type ReviewPolicy } from '@parley/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { asApiError, sendJson } from '../../shared/api';
import { useAuth } from '../auth/AuthProvider';
import { useNegotiations } from '../negotiations/use-negotiations';

const LABEL: Record<ReviewPolicy, string> = { off: 'Off: publish when saved', required: 'Required: a second person approves' };

/** Admins: the negotiation's review policy (audited and live on the API's side). */
export function ReviewPolicySwitch({ slug }: { slug: string }) {
  const id = useId();
  const client = useQueryClient();
  const { session, expire } = useAuth();
  const negotiation = useNegotiations().data?.find((n) => n.slug === slug) ?? null;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!negotiation) return null;
  const policy: ReviewPolicy = negotiation.reviewPolicy ?? 'off';
  const change = async (next: ReviewPolicy) => {
    setBusy(true);
    setError(null);
    try {
      const saved = await sendJson<Negotiation>('PATCH', `/negotiations/${encodeURIComponent(slug)}`, { reviewPolicy: next, expectedVersion: negotiation.version }, { token: session?.token });
      client.setQueryData<Negotiation[]>(['negotiations'], (list) => list?.map((n) => (n.id === saved.id ? saved : n)));
    } catch (err) {
      const refused = asApiError(err);
      if (refused.status === 401) expire();
      setError(refused.status === 409 ? 'The negotiation was changed meanwhile; try again.' : refused.message);
      void client.invalidateQueries({ queryKey: ['negotiations'] });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="review-policy">
      <label htmlFor={id}>Review before publish</label>{' '}
      <select id={id} value={policy} disabled={busy} onChange={(e) => void change(e.target.value as ReviewPolicy)}>
        {REVIEW_POLICIES.map((p) => (
          <option key={p} value={p}>
            {LABEL[p]}
          </option>
        ))}
      </select>
      {error ? (
        <span className="form-error" role="alert">
          {' '}
          {error}
        </span>
      ) : null}
    </div>
  );
}
