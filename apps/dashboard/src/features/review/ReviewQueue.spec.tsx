import type { Proposal, ProposalDecisionResult, ReviewConflict, StanceCreate } from '@parley/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import type { DashboardParams } from '../../shared/url-state';
import { matrixView, row, sourceRecord, stance } from '../../testing/fixtures';
import { serve } from '../../testing/serve';
import { AuthProvider } from '../auth/AuthProvider';
import { sourcesKey } from '../sources/use-sources';
import { myProposalsKey, openProposalsKey } from './proposals';
import { ReviewQueue } from './ReviewQueue';

/**
 * The review queue: the open proposals beside the cells' current stances, moved through with j/k,
 * decided with a (approve), r (reject, with a reason) and c (ask for changes); filters by author,
 * party and point as URL state; a 409 REVIEW_CONFLICT shows both versions and re-bases. The network
 * is the fake one under the real API client.
 */
const ME = 'ben@example.org';
const parties = [
  { id: 'ua', code: 'UA', name: 'Ukraine', color: '#0057b7', parentId: null },
  { id: 'ru', code: 'RU', name: 'Russia', color: '#d52b1e', parentId: null },
];
const view = matrixView([row('p1', 'p01', 'Ceasefire line', { ua: 'reject', ru: null }), row('p2', 'p02', 'Army cap', { ua: 'accept', ru: 'red_line' })], parties);

const body = (partyId: string, pointId: string, over: Partial<StanceCreate> = {}): StanceCreate => ({
  partyId,
  pointId,
  position: 'accept',
  confidence: 'official',
  effectiveAt: '2025-12-01',
  source: { id: 's-bbc' },
  ...over,
});

let n = 0;
function proposal(partyId: string, pointId: string, author: string, over: Partial<Proposal> = {}): Proposal {
  n += 1;
  return {
    id: `0190000${n}-0000-7000-8000-000000000000`,
    negotiationId: 'neg-1',
    kind: 'stance',
    status: 'open',
    partyId,
    pointId,
    baseVersion: 1,
    stance: body(partyId, pointId),
    retraction: null,
    author,
    createdAt: `2025-12-0${n}T10:00:00.000Z`,
    updatedAt: `2025-12-0${n}T10:00:00.000Z`,
    version: 1,
    decision: null,
    published: null,
    ...over,
  };
}

const first = proposal('ua', 'p1', 'ana@example.org', { stance: body('ua', 'p1', { position: 'conditional', quote: 'Only with guarantees', conditions: { text: 'security guarantees' } }) });
const second = proposal('ru', 'p2', 'carl@example.org', { stance: body('ru', 'p2', { position: 'reject' }) });
const mine = proposal('ua', 'p2', ME);
const retraction = proposal('ru', 'p2', 'ana@example.org', { kind: 'retraction', stance: null, retraction: { eventId: view.rows[1]!.cells['ru']!.stance!.id, reason: 'misattributed' } });

type Params = Pick<DashboardParams, 'proposal' | 'rvAuthor' | 'rvParty' | 'rvPoint'>;

function renderQueue(list: Proposal[], role: 'analyst' | 'admin' = 'analyst', initial: Partial<Params> = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(openProposalsKey('demo'), list);
  client.setQueryData(myProposalsKey('demo', ME), []);
  client.setQueryData(['matrix', 'demo', null], view);
  client.setQueryData(sourcesKey('demo'), new Map([['s-bbc', sourceRecord({ id: 's-bbc', outlet: 'BBC', title: 'Talks' })]]));
  client.setQueryData(['negotiations'], []);
  const session = { token: 'tok-ben', expiresAt: '2999-01-01T00:00:00.000Z', user: { id: 'u1', email: ME, name: 'Ben', role } };
  const patches: Partial<DashboardParams>[] = [];
  function WithParams() {
    const [params, setParams] = useState<Params>({ proposal: null, rvAuthor: null, rvParty: null, rvPoint: null, ...initial });
    return (
      <ReviewQueue
        slug="demo"
        params={params}
        setParams={(patch) => {
          patches.push(patch);
          setParams((p) => ({ ...p, ...patch }));
        }}
      />
    );
  }
  render(
    <QueryClientProvider client={client}>
      <AuthProvider initial={session} initialShare={null}>
        <WithParams />
      </AuthProvider>
    </QueryClientProvider>,
  );
  return { client, patches };
}

const items = () => within(screen.getByRole('list', { name: /proposals? waiting$/ })).getAllByRole('listitem');
const selectedId = () => items().find((li) => li.getAttribute('aria-current') === 'true')?.getAttribute('data-proposal-id');
const key = (k: string, target: Element = document.body) => fireEvent.keyDown(target, { key: k });
const detail = () => screen.getByRole('article');
const compareRows = () =>
  within(within(detail()).getByRole('table', { name: 'What the proposal changes' }))
    .getAllByRole('row')
    .slice(1)
    .map((r) => [r.querySelector('th')?.textContent, ...[...r.querySelectorAll('td')].map((td) => td.textContent)]);

function decided(p: Proposal, decision: 'approve' | 'reject' | 'request_changes', note: string | null = null): ProposalDecisionResult {
  const status = decision === 'approve' ? 'approved' : decision === 'reject' ? 'rejected' : 'changes_requested';
  const event = stance(p.stance?.position ?? 'accept', { partyId: p.partyId, pointId: p.pointId, seq: 50 });
  return {
    proposal: { ...p, status, version: p.version + 1, decision: { decision, by: ME, at: '2025-12-09T00:00:00.000Z', note }, published: decision === 'approve' ? { eventId: event.id, seq: 50 } : null },
    published: decision === 'approve' ? { event, cell: { partyId: p.partyId, pointId: p.pointId, version: 2, current: event } } : null,
  };
}

const decisionPath = (p: Proposal) => `POST /api/negotiations/demo/proposals/${p.id}/decision`;

describe('the review queue', () => {
  it('lists the open proposals oldest first beside the current stance, with what changes; j and k move the selection', () => {
    serve({});
    renderQueue([first, second, retraction]);
    expect(items().map((li) => li.querySelector('.review__item-cell')?.textContent)).toEqual(['Ukraine on p01 Ceasefire line', 'Russia on p02 Army cap', 'Russia on p02 Army cap']);
    expect(selectedId()).toBe(first.id);
    expect(within(detail()).getByRole('heading').textContent).toBe('Ukraine on p01 Ceasefire line');
    expect(compareRows()).toEqual([
      ['Position (changed)', 'Reject', 'Conditional'],
      ['Confidence', 'official', 'official'],
      ['Effective (changed)', '2025-11-21', '2025-12-01'],
      ['Source (changed)', 'Reuters', 'BBC — Talks'],
      ['Quote (changed)', '—', 'Only with guarantees'],
      ['Translation', '—', '—'],
      ['Conditions (changed)', '—', 'security guarantees'],
      ['Note', '—', '—'],
    ]);
    key('j');
    expect(selectedId()).toBe(second.id);
    key('j');
    expect(selectedId()).toBe(retraction.id);
    // A retraction: the stance in force it would retract, and the reason.
    expect(detail().textContent).toContain('Retract the stance in force: Red line since 2025-11-21');
    expect(detail().textContent).toContain('Reason: misattributed');
    key('j');
    expect(selectedId()).toBe(retraction.id);
    key('k');
    key('k');
    key('ArrowUp');
    expect(selectedId()).toBe(first.id);
    // Keys with a modifier are not the queue's.
    fireEvent.keyDown(document.body, { key: 'j', ctrlKey: true });
    expect(selectedId()).toBe(first.id);
    // ? shows the keys.
    key('?');
    expect(within(screen.getByLabelText('Review queue keys')).getAllByRole('term').map((t) => t.textContent)).toEqual(['j / k', 'a', 'r', 'c', '?']);
  });

  it('a approves the selected proposal: it leaves the queue, the next one is selected, and the change is said', async () => {
    const calls = serve({ [decisionPath(first)]: [{ status: 200, body: decided(first, 'approve') }] });
    renderQueue([first, second]);
    key('a');
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Approved: published as change #50 (Ukraine on p01 Ceasefire line).'));
    // (The author's own list is read again after a decision: not this test's matter.)
    expect(calls.filter((c) => c.method === 'POST').map((c) => [c.method, c.url, c.body, c.headers['authorization']])).toEqual([['POST', `/api/negotiations/demo/proposals/${first.id}/decision`, { decision: 'approve' }, 'Bearer tok-ben']]);
    expect(items().map((li) => li.getAttribute('data-proposal-id'))).toEqual([second.id]);
    expect(selectedId()).toBe(second.id);
  });

  it('r opens the reason, which keys typed into do not decide; the reason is sent; Escape cancels; c asks for changes', async () => {
    const calls = serve({
      [decisionPath(first)]: [{ status: 200, body: decided(first, 'reject', 'No source for this quote') }],
      [decisionPath(second)]: [{ status: 200, body: decided(second, 'request_changes', 'Cite the statement') }],
    });
    renderQueue([first, second]);
    key('r');
    const reason = screen.getByLabelText('Reason for rejecting (the author sees it)');
    expect(document.activeElement).toBe(reason);
    // Typing a, j or r into the reason is text, not a decision.
    key('a', reason);
    key('j', reason);
    expect(calls).toEqual([]);
    expect(selectedId()).toBe(first.id);
    expect((screen.getByRole('button', { name: 'Reject' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.keyDown(reason, { key: 'Escape' });
    expect(screen.queryByLabelText('Reason for rejecting (the author sees it)')).toBeNull();

    key('r');
    fireEvent.change(screen.getByLabelText('Reason for rejecting (the author sees it)'), { target: { value: '  No source for this quote ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Rejected (Ukraine on p01 Ceasefire line).'));
    const posts = () => calls.filter((c) => c.method === 'POST');
    expect(posts()[0]?.body).toEqual({ decision: 'reject', note: 'No source for this quote' });

    key('c');
    fireEvent.change(screen.getByLabelText('What should change (the author sees it)'), { target: { value: 'Cite the statement' } });
    fireEvent.submit(screen.getByLabelText('What should change (the author sees it)').closest('form')!);
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Changes requested (Russia on p02 Army cap).'));
    expect(posts()[1]?.body).toEqual({ decision: 'request_changes', note: 'Cite the statement' });
    expect(screen.getByText('No proposals are waiting for review.')).toBeTruthy();
  });

  it('filters by author, party and point through the URL state', () => {
    serve({});
    const { patches } = renderQueue([first, second, retraction]);
    fireEvent.change(screen.getByLabelText('Author'), { target: { value: 'ana@example.org' } });
    expect(patches.at(-1)).toEqual({ rvAuthor: 'ana@example.org', proposal: null });
    expect(items().map((li) => li.getAttribute('data-proposal-id'))).toEqual([first.id, retraction.id]);
    fireEvent.change(screen.getByLabelText('Party'), { target: { value: 'ru' } });
    expect(patches.at(-1)).toEqual({ rvParty: 'ru', proposal: null });
    expect(items().map((li) => li.getAttribute('data-proposal-id'))).toEqual([retraction.id]);
    fireEvent.change(screen.getByLabelText('Point'), { target: { value: 'p1' } });
    expect(screen.getByText('No waiting proposal matches the filters.')).toBeTruthy();
    // The authors offered are those of the open proposals.
    expect([...(screen.getByLabelText('Author') as HTMLSelectElement).options].map((o) => o.value)).toEqual(['', 'ana@example.org', 'carl@example.org']);
  });

  it('opens filtered as a shared link says, on the proposal it names', () => {
    serve({});
    renderQueue([first, second, retraction], 'analyst', { rvPoint: 'p2', proposal: retraction.id });
    expect(items().map((li) => li.getAttribute('data-proposal-id'))).toEqual([second.id, retraction.id]);
    expect(selectedId()).toBe(retraction.id);
  });

  it('on 409 REVIEW_CONFLICT shows the new version beside the proposal and approves against it, or rejects', async () => {
    const moved = stance('amend', { partyId: 'ua', pointId: 'p1', quote: 'A newer word', seq: 48 });
    const conflict: ReviewConflict = { proposal: first, cell: { partyId: 'ua', pointId: 'p1', version: 3, current: moved } };
    const calls = serve({
      [decisionPath(first)]: [
        { status: 409, body: { statusCode: 409, error: 'Conflict', code: 'REVIEW_CONFLICT', message: 'the cell changed', current: conflict } },
        { status: 200, body: decided({ ...first, baseVersion: 3 }, 'approve') },
      ],
    });
    renderQueue([first, second]);
    key('a');
    const region = await screen.findByRole('region', { name: 'The cell changed since the proposal' });
    expect(screen.getByRole('alert').textContent).toBe('The cell changed since this proposal was made: compare both versions below.');
    expect(within(region).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Field', 'Now (version 3)', 'Proposed']);
    const quote = within(region).getByRole('row', { name: /^Quote \(changed\)/ });
    expect([...quote.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['A newer word', 'Only with guarantees']);
    expect(within(region).getByRole('row', { name: /^Position \(changed\)/ }).textContent).toContain('Amend');
    // While it shows, a does not approve blindly.
    key('a');
    expect(calls).toHaveLength(1);
    expect(within(region).getByRole('button', { name: 'Reject…' })).toBeTruthy();
    await act(async () => {
      fireEvent.click(within(region).getByRole('button', { name: 'Approve against the new version' }));
    });
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/^Approved: published as change #50/));
    expect(calls[1]?.body).toEqual({ decision: 'approve', baseVersion: 3 });
  });

  it('never lets a reviewer decide on their own proposal (the two-person rule)', () => {
    const calls = serve({});
    renderQueue([mine, first]);
    expect(screen.getByText('Your own proposal: another analyst or an admin decides on it.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Approve (a)' }) as HTMLButtonElement).disabled).toBe(true);
    key('a');
    key('r');
    expect(calls).toEqual([]);
    expect(screen.queryByRole('textbox')).toBeNull();
  });

  it('shows the author their rejected and changes-requested proposals with the note, and sends an edit', async () => {
    const asked = proposal('ua', 'p1', ME, { status: 'changes_requested', version: 2, decision: { decision: 'request_changes', by: 'ana@example.org', at: '2025-12-08T00:00:00.000Z', note: 'Add the quote' } });
    const refused = proposal('ru', 'p1', ME, { status: 'rejected', version: 2, decision: { decision: 'reject', by: 'ana@example.org', at: '2025-12-08T00:00:00.000Z', note: 'Wrong party' } });
    const calls = serve({ [`PATCH /api/negotiations/demo/proposals/${asked.id}`]: [{ status: 200, body: { ...asked, status: 'open', version: 3 } }] });
    const { client } = renderQueue([first]);
    act(() => {
      client.setQueryData(myProposalsKey('demo', ME), [asked, refused]);
    });
    const section = await screen.findByRole('region', { name: 'Your proposals' });
    const [one, two] = within(section).getAllByRole('listitem');
    expect(one!.textContent).toContain('Ukraine on p01 Ceasefire line: Accept — changes requested by ana@example.org');
    expect(one!.querySelector('q')?.textContent).toBe('Add the quote');
    expect(two!.textContent).toContain('rejected by ana@example.org');
    expect(two!.querySelector('q')?.textContent).toBe('Wrong party');
    expect(within(two!).queryByRole('button')).toBeNull();
    fireEvent.click(within(one!).getByRole('button', { name: 'Edit the proposal' }));
    const form = within(section).getByRole('form', { name: 'Edit the proposal' });
    fireEvent.change(within(form).getByLabelText('Quote'), { target: { value: 'We accept, with guarantees' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Send for review again' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toMatchObject({ method: 'PATCH', body: { stance: { ...asked.stance, quote: 'We accept, with guarantees' }, expectedVersion: 2 } });
  });
});
