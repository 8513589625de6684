import './review.css';
import { type Proposal, type ProposalDecisionInput, type ProposalDecisionResult, type ReviewConflict, type Source } from '@parley/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { asApiError, postJson } from '../../shared/api';
import { ErrorNotice, Loading } from '../../shared/QueryState';
import type { DashboardParams } from '../../shared/url-state';
import { useMatrix } from '../../shared/use-matrix';
import { useAuth } from '../auth/AuthProvider';
import { applyCell } from '../live/apply-change';
import { useSources } from '../sources/use-sources';
import { MyProposals } from './MyProposals';
import { ProposalCompare } from './ProposalCompare';
import { cellName, proposalSummary } from './names';
import { applyProposal, useOpenProposals } from './proposals';
import { filterQueue, moveSelection, queueAction } from './queue';
import { ReviewPolicySwitch } from './ReviewPolicySwitch';

type Params = Pick<DashboardParams, 'proposal' | 'rvAuthor' | 'rvParty' | 'rvPoint'>;

interface Props {
  slug: string;
  params: Params;
  setParams: (patch: Partial<DashboardParams>, opts?: { replace?: boolean }) => void;
}

/** A note the reviewer is writing: a rejection's reason or a request for changes. */
type Writing = { decision: 'reject' | 'request_changes'; proposalId: string } | null;

interface Outcome {
  kind: 'done' | 'error';
  text: string;
}

/**
 * The review queue (`?view=review`, analysts and admins): the open proposals, oldest first, filtered
 * by author, party and point (URL state); the selected one beside the cell's current stance, with
 * what it changes; approve (a), reject (r, with a reason) or ask for changes (c, with a note), moving
 * with j/k. An approval refused because the cell moved on (409 REVIEW_CONFLICT) shows both versions
 * and offers to approve against the new one, or to reject.
 */
export function ReviewQueue({ slug, params, setParams }: Props) {
  const ids = useId();
  const client = useQueryClient();
  const { analyst, session, expire } = useAuth();
  const me = session?.user.email ?? null;
  const admin = session?.user.role === 'admin';
  const open = useOpenProposals(slug, analyst);
  // The cells as they are now (the "now" matrix, which the live stream keeps current).
  const matrix = useMatrix(slug, null);
  const sourceMap = useSources(slug).data as ReadonlyMap<string, Source> | undefined;
  const [writing, setWriting] = useState<Writing>(null);
  const [note, setNote] = useState('');
  const [conflict, setConflict] = useState<ReviewConflict | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [help, setHelp] = useState(false);
  const lastIndex = useRef(0);
  const listRef = useRef<HTMLOListElement>(null);

  const filter = useMemo(() => ({ author: params.rvAuthor, party: params.rvParty, point: params.rvPoint }), [params.rvAuthor, params.rvParty, params.rvPoint]);
  const all = open.data;
  const shown = useMemo(() => filterQueue(all ?? [], filter), [all, filter]);
  const authors = useMemo(() => [...new Set((all ?? []).map((p) => p.author))].sort(), [all]);
  // The selection: the URL's proposal while it is in the list; else the one at the place the last one had.
  const found = shown.findIndex((p) => p.id === params.proposal);
  const index = found >= 0 ? found : moveSelection(lastIndex.current, 0, shown.length);
  const selected: Proposal | null = shown[index] ?? null;
  lastIndex.current = index;

  const view = matrix.data;
  const pointCodes = useMemo(() => new Map((view?.rows ?? []).map((r) => [r.point.id, r.point.code])), [view]);
  const cellOf = (p: Proposal) => view?.rows.find((r) => r.point.id === p.pointId)?.cells[p.partyId] ?? null;

  const select = useCallback(
    (p: Proposal | null) => {
      setWriting(null);
      setConflict(null);
      setParams({ proposal: p?.id ?? null }, { replace: true });
    },
    [setParams],
  );

  const decide = useCallback(
    async (p: Proposal, body: ProposalDecisionInput) => {
      setBusy(true);
      setOutcome(null);
      try {
        const result = await postJson<ProposalDecisionResult>(`/negotiations/${encodeURIComponent(slug)}/proposals/${encodeURIComponent(p.id)}/decision`, body, { token: session?.token });
        applyProposal(client, slug, result.proposal);
        if (result.published) applyCell(client, slug, result.published.cell);
        setConflict(null);
        setWriting(null);
        setNote('');
        const what = body.decision === 'approve' ? `Approved: published as change #${result.proposal.published?.seq ?? '?'}` : body.decision === 'reject' ? 'Rejected' : 'Changes requested';
        setOutcome({ kind: 'done', text: `${what} (${cellName(view, p)}).` });
      } catch (err) {
        const refused = asApiError(err);
        if (refused.status === 401) expire();
        if (refused.status === 409 && refused.code === 'REVIEW_CONFLICT' && refused.current) {
          setConflict(refused.current as ReviewConflict);
          setOutcome({ kind: 'error', text: 'The cell changed since this proposal was made: compare both versions below.' });
        } else {
          if (refused.status === 409) void client.invalidateQueries({ queryKey: ['proposals', slug] });
          setOutcome({ kind: 'error', text: refused.message });
        }
      } finally {
        setBusy(false);
      }
    },
    [slug, session?.token, client, view, expire],
  );

  const own = selected !== null && selected.author === me;
  const startWriting = useCallback(
    (decision: 'reject' | 'request_changes') => {
      if (!selected || own) return;
      setNote('');
      setWriting({ decision, proposalId: selected.id });
    },
    [selected, own],
  );

  // The queue's keys, while no field has the focus.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = queueAction(e);
      if (!action || busy) return;
      if (document.querySelector('[role="dialog"]')) return;
      e.preventDefault();
      switch (action) {
        case 'next':
        case 'previous': {
          const next = shown[moveSelection(index, action === 'next' ? 1 : -1, shown.length)];
          if (next) select(next);
          break;
        }
        case 'approve':
          if (selected && !own && !conflict) void decide(selected, { decision: 'approve' });
          break;
        case 'reject':
          startWriting('reject');
          break;
        case 'changes':
          startWriting('request_changes');
          break;
        case 'help':
          setHelp((h) => !h);
          break;
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [shown, index, selected, own, conflict, busy, decide, select, startWriting]);

  // Keep the selected entry in sight.
  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>('[aria-current="true"]')?.scrollIntoView?.({ block: 'nearest' });
  }, [selected?.id]);

  if (!analyst) return <p className="notice">The review queue is for analysts and admins. Sign in to see it.</p>;

  const current = selected ? cellOf(selected) : null;
  return (
    <section className="review" aria-labelledby={`${ids}-title`}>
      <header className="review__header">
        <h3 id={`${ids}-title`}>Review queue</h3>
        {admin ? <ReviewPolicySwitch slug={slug} /> : null}
        <button type="button" className="link-button" aria-expanded={help} onClick={() => setHelp((h) => !h)}>
          Keys (?)
        </button>
      </header>
      {help ? (
        <dl className="review__keys" aria-label="Review queue keys">
          <dt>j / k</dt>
          <dd>next / previous proposal</dd>
          <dt>a</dt>
          <dd>approve (publish)</dd>
          <dt>r</dt>
          <dd>reject, with a reason the author sees</dd>
          <dt>c</dt>
          <dd>ask for changes, with a note</dd>
          <dt>?</dt>
          <dd>show or hide these keys</dd>
        </dl>
      ) : null}
      <div className="review__filters" role="group" aria-label="Filter proposals">
        <label>
          Author{' '}
          <select value={params.rvAuthor ?? ''} onChange={(e) => setParams({ rvAuthor: e.target.value || null, proposal: null }, { replace: true })}>
            <option value="">All</option>
            {authors.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          Party{' '}
          <select value={params.rvParty ?? ''} onChange={(e) => setParams({ rvParty: e.target.value || null, proposal: null }, { replace: true })}>
            <option value="">All</option>
            {(view?.parties ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Point{' '}
          <select value={params.rvPoint ?? ''} onChange={(e) => setParams({ rvPoint: e.target.value || null, proposal: null }, { replace: true })}>
            <option value="">All</option>
            {(view?.rows ?? []).map((r) => (
              <option key={r.point.id} value={r.point.id}>
                {r.point.code} {r.point.title}
              </option>
            ))}
          </select>
        </label>
      </div>
      {outcome ? (
        <p className={outcome.kind === 'error' ? 'form-error' : 'notice'} role={outcome.kind === 'error' ? 'alert' : 'status'}>
          {outcome.text}
        </p>
      ) : null}
      {open.isPending ? (
        <Loading what="the proposals" />
      ) : open.isError ? (
        <ErrorNotice error={open.error} what="the proposals" onRetry={() => void open.refetch()} />
      ) : shown.length === 0 ? (
        <p className="empty-state">{(all ?? []).length === 0 ? 'No proposals are waiting for review.' : 'No waiting proposal matches the filters.'}</p>
      ) : (
        <div className="review__body">
          <ol className="review__list" ref={listRef} aria-label={`${shown.length} ${shown.length === 1 ? 'proposal' : 'proposals'} waiting`}>
            {shown.map((p) => (
              <li key={p.id} data-proposal-id={p.id} aria-current={p.id === selected?.id ? 'true' : undefined}>
                <button type="button" className="review__item" onClick={() => select(p)}>
                  <span className="review__item-cell">{cellName(view, p)}</span>
                  <span className="review__item-what">{proposalSummary(p)}</span>
                  <span className="review__item-by">
                    by {p.author} · {p.createdAt.slice(0, 16).replace('T', ' ')}
                  </span>
                </button>
              </li>
            ))}
          </ol>
          {selected ? (
            <article className="review__detail" aria-label={`Proposal: ${cellName(view, selected)}`} data-proposal-id={selected.id}>
              <h4>{cellName(view, selected)}</h4>
              <p className="review__meta">
                Proposed by {selected.author} on {selected.createdAt.slice(0, 16).replace('T', ' ')} against version {selected.baseVersion} of the cell
                {current && current.version !== selected.baseVersion ? ` (now version ${current.version})` : ''}.
              </p>
              {conflict && conflict.proposal.id === selected.id ? (
                <section className="review__conflict" aria-label="The cell changed since the proposal">
                  <p>
                    The cell is now at version {conflict.cell.version}; this proposal was made against version {conflict.proposal.baseVersion}. Compare the new version with the proposal:
                  </p>
                  <ProposalCompare proposal={conflict.proposal} current={conflict.cell.current} sources={sourceMap} pointCodes={pointCodes} currentLabel={`Now (version ${conflict.cell.version})`} />
                  <div className="form-actions">
                    <button type="button" className="primary" disabled={busy} onClick={() => void decide(selected, { decision: 'approve', baseVersion: conflict.cell.version })}>
                      Approve against the new version
                    </button>
                    <button type="button" disabled={busy} onClick={() => startWriting('reject')}>
                      Reject…
                    </button>
                  </div>
                </section>
              ) : (
                <ProposalCompare proposal={selected} current={current?.stance ?? null} sources={sourceMap} pointCodes={pointCodes} currentLabel="Now" />
              )}
              {own ? <p className="hint">Your own proposal: another analyst or an admin decides on it.</p> : null}
              {writing && writing.proposalId === selected.id ? (
                <form
                  className="review__note"
                  onSubmit={(e) => {
                    e.preventDefault();
                    if (!note.trim()) return;
                    void decide(selected, { decision: writing.decision, note: note.trim() });
                  }}
                  onKeyDown={(e) => {
                    if (e.key === 'Escape') {
                      e.stopPropagation();
                      setWriting(null);
                    }
                  }}
                >
                  <label htmlFor={`${ids}-note`}>{writing.decision === 'reject' ? 'Reason for rejecting (the author sees it)' : 'What should change (the author sees it)'}</label>
                  <textarea id={`${ids}-note`} rows={2} value={note} autoFocus required maxLength={500} onChange={(e) => setNote(e.target.value)} />
                  <div className="form-actions">
                    <button type="submit" className="primary" disabled={busy || !note.trim()}>
                      {writing.decision === 'reject' ? 'Reject' : 'Ask for changes'}
                    </button>
                    <button type="button" onClick={() => setWriting(null)}>
                      Cancel
                    </button>
                  </div>
                </form>
              ) : conflict && conflict.proposal.id === selected.id ? null : (
                <div className="form-actions review__actions">
                  <button type="button" className="primary" disabled={busy || own} aria-keyshortcuts="a" onClick={() => void decide(selected, { decision: 'approve' })}>
                    Approve (a)
                  </button>
                  <button type="button" disabled={busy || own} aria-keyshortcuts="r" onClick={() => startWriting('reject')}>
                    Reject… (r)
                  </button>
                  <button type="button" disabled={busy || own} aria-keyshortcuts="c" onClick={() => startWriting('request_changes')}>
                    Ask for changes… (c)
                  </button>
                </div>
              )}
            </article>
          ) : null}
        </div>
      )}
      {me ? <MyProposals slug={slug} author={me} view={view} sources={sourceMap} /> : null}
    </section>
  );
}
