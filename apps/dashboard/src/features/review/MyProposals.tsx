import { POSITIONS, POSITION_LABEL, type MatrixView, type Position, type Proposal, type Source, type StanceCreate } from '@parley/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { asApiError, sendJson } from '../../shared/api';
import { useAuth } from '../auth/AuthProvider';
import { applyProposal, useMyProposals } from './proposals';
import { cellName, proposalSummary } from './names';
import { sourceLine } from './queue';

const STATUS: Record<Proposal['status'], string> = { open: 'waiting for review', changes_requested: 'changes requested', approved: 'approved', rejected: 'rejected' };

interface Props {
  slug: string;
  author: string;
  view: MatrixView | undefined;
  sources?: ReadonlyMap<string, Source>;
}

/** The signed-in author's proposals: a rejection with its reason, a request for changes with its note and an edit form. */
export function MyProposals({ slug, author, view, sources }: Props) {
  const mine = useMyProposals(slug, author);
  const [editing, setEditing] = useState<string | null>(null);
  const list = (mine.data ?? []).filter((p) => p.status !== 'approved');
  if (list.length === 0) return null;
  return (
    <section className="review__mine" aria-label="Your proposals">
      <h4>Your proposals</h4>
      <ul>
        {list.map((p) => (
          <li key={p.id} data-proposal-id={p.id} data-status={p.status}>
            <span>
              {cellName(view, p)}: {proposalSummary(p)} — <strong>{STATUS[p.status]}</strong>
              {p.decision && p.status !== 'open' ? (
                <>
                  {' '}
                  by {p.decision.by}
                  {p.decision.note ? <q className="review__reason">{p.decision.note}</q> : null}
                </>
              ) : null}
            </span>
            {p.status === 'changes_requested' && p.kind === 'stance' && p.stance ? (
              editing === p.id ? (
                <EditProposal slug={slug} proposal={p} sources={sources} onDone={() => setEditing(null)} />
              ) : (
                <button type="button" onClick={() => setEditing(p.id)}>
                  Edit the proposal
                </button>
              )
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The author's edit after a request for changes: position, quote and note (the rest as proposed); it is open again. */
function EditProposal({ slug, proposal, sources, onDone }: { slug: string; proposal: Proposal; sources?: ReadonlyMap<string, Source>; onDone: () => void }) {
  const ids = useId();
  const client = useQueryClient();
  const { session, expire } = useAuth();
  const stance = proposal.stance as StanceCreate;
  const [position, setPosition] = useState<Position>(stance.position);
  const [quote, setQuote] = useState(stance.quote ?? '');
  const [note, setNote] = useState(stance.note ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(null);
    const next: StanceCreate = { ...stance, position, quote: quote.trim() || undefined, note: note.trim() || undefined };
    if (!next.quote) {
      delete next.quote;
      delete next.quoteLanguage;
      delete next.translation;
      delete next.translationLanguage;
    }
    try {
      const saved = await sendJson<Proposal>('PATCH', `/negotiations/${encodeURIComponent(slug)}/proposals/${encodeURIComponent(proposal.id)}`, { stance: next, expectedVersion: proposal.version }, { token: session?.token });
      applyProposal(client, slug, saved);
      onDone();
    } catch (err) {
      const refused = asApiError(err);
      if (refused.status === 401) expire();
      setError(refused.details.length > 0 ? refused.details.map((d) => `${d.field}: ${d.message}`).join('; ') : refused.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="review__edit"
      aria-label="Edit the proposal"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <p className="hint">Source: {sourceLine(stance.source as Parameters<typeof sourceLine>[0], sources)}</p>
      <label htmlFor={`${ids}-position`}>Position</label>
      <select id={`${ids}-position`} value={position} onChange={(e) => setPosition(e.target.value as Position)}>
        {POSITIONS.map((p) => (
          <option key={p} value={p}>
            {POSITION_LABEL[p]}
          </option>
        ))}
      </select>
      <label htmlFor={`${ids}-quote`}>Quote</label>
      <textarea id={`${ids}-quote`} rows={2} value={quote} onChange={(e) => setQuote(e.target.value)} />
      <label htmlFor={`${ids}-note`}>Note</label>
      <textarea id={`${ids}-note`} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          Send for review again
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
