import type { Proposal, ProposalPage, ReviewEntry } from '@parley/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render, screen, waitFor } from '@testing-library/react';
import { matrixView, row } from '../../testing/fixtures';
import { serve } from '../../testing/serve';
import { AuthProvider } from '../auth/AuthProvider';
import { LiveProvider, type CreateLiveClient } from '../live/LiveProvider';
import { MatrixCell } from '../matrix/MatrixCell';
import { PendingContext, usePendingByCell } from './pending';
import { openProposalsKey } from './proposals';
import { ReviewBadge } from './ReviewBadge';

/**
 * The header's badge counts the open proposals for analysts and admins, kept current by the staff
 * stream the live connection joins for them (the client factory stands in for socket.io, which
 * jsdom has not); a viewer has no badge and no staff stream. The matrix cell says "N pending" to staff.
 */
type Listener = (...args: never[]) => void;

function fakeLive() {
  const listeners = new Map<string, Set<Listener>>();
  const options: Parameters<CreateLiveClient>[0][] = [];
  const create: CreateLiveClient = (o) => {
    options.push(o);
    return {
      on: ((event: string, l: Listener) => {
        if (!listeners.has(event)) listeners.set(event, new Set());
        listeners.get(event)!.add(l);
        return () => listeners.get(event)!.delete(l);
      }) as never,
      start() {
        return this as never;
      },
      resetTo: () => undefined,
      close: () => Promise.resolve(),
      lastSeq: 0,
    };
  };
  const emit = (event: string, ...args: unknown[]) => act(() => listeners.get(event)?.forEach((l) => (l as (...a: unknown[]) => void)(...args)));
  return { create, emit, options };
}

const open = (id: string, over: Partial<Proposal> = {}): Proposal => ({
  id,
  negotiationId: 'neg-1',
  kind: 'stance',
  status: 'open',
  partyId: 'ua',
  pointId: 'p1',
  baseVersion: 1,
  stance: { partyId: 'ua', pointId: 'p1', position: 'accept', confidence: 'official', effectiveAt: '2025-12-01', source: {} },
  retraction: null,
  author: 'ana@example.org',
  createdAt: '2025-12-01T00:00:00.000Z',
  updatedAt: '2025-12-01T00:00:00.000Z',
  version: 1,
  decision: null,
  published: null,
  ...over,
});
const entry = (seq: number, p: Proposal, kind: ReviewEntry['kind'] = 'proposal.created'): ReviewEntry => ({ negotiationId: 'neg-1', seq, kind, proposalId: p.id, recordedAt: p.updatedAt, recordedBy: p.author, data: p });

const view = matrixView([row('p1', 'p01', 'Ceasefire line', { ua: 'reject', ru: null })], [
  { id: 'ua', code: 'UA', name: 'Ukraine', color: '#0057b7', parentId: null },
  { id: 'ru', code: 'RU', name: 'Russia', color: '#d52b1e', parentId: null },
]);

function Cells() {
  const pending = usePendingByCell('demo');
  return (
    <PendingContext.Provider value={pending}>
      <table>
        <tbody>
          <tr>
            <MatrixCell stance={view.rows[0]!.cells['ua']!.stance} pointId="p1" partyId="ua" name="Ukraine on p01" />
            <MatrixCell stance={null} pointId="p1" partyId="ru" name="Russia on p01" />
          </tr>
        </tbody>
      </table>
    </PendingContext.Provider>
  );
}

function renderBadge(role: 'analyst' | 'admin' | 'viewer', list: Proposal[]) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(['matrix', 'demo', null], view);
  client.setQueryData(openProposalsKey('demo'), list);
  const live = fakeLive();
  const session = { token: `tok-${role}`, expiresAt: '2999-01-01T00:00:00.000Z', user: { id: 'u1', email: `${role}@example.org`, name: role, role } };
  render(
    <QueryClientProvider client={client}>
      <AuthProvider initial={session} initialShare={null}>
        <LiveProvider slug="demo" createClient={live.create}>
          <ReviewBadge slug="demo" onOpen={() => undefined} />
          <Cells />
        </LiveProvider>
      </AuthProvider>
    </QueryClientProvider>,
  );
  return { client, live };
}

const badge = () => screen.getByRole('link', { name: /^Review queue/ });
const cellText = (party: string) => (document.querySelector(`td[data-party="${party}"]`) as HTMLElement).textContent;

describe('the review badge', () => {
  it('is not shown to a viewer, whose live connection does not ask for the staff stream, and whose cells say nothing pending', () => {
    serve({});
    const { live } = renderBadge('viewer', [open('01900001-0000-7000-8000-000000000000')]);
    expect(screen.queryByRole('link', { name: /^Review queue/ })).toBeNull();
    expect(live.options.map((o) => o.review)).toEqual([false]);
    expect(cellText('ua')).toBe('Reject');
  });

  it('counts the open proposals for staff and follows the staff stream: created, decided, and the list read when first joined', async () => {
    const a = open('01900001-0000-7000-8000-000000000000');
    const b = open('01900002-0000-7000-8000-000000000000', { partyId: 'ru' });
    const c = open('01900003-0000-7000-8000-000000000000');
    const page: ProposalPage = { items: [c, a], nextBefore: null };
    const calls = serve({ 'GET /api/negotiations/demo/proposals?limit=200&status=open': [{ status: 200, body: page }] });
    const { live } = renderBadge('analyst', [a]);
    expect(live.options.map((o) => o.review)).toEqual([true]);
    expect(badge().getAttribute('aria-label')).toBe('Review queue: 1 proposal waiting');
    expect(cellText('ua')).toBe('Reject, 1 pending');
    expect(document.querySelector('td[data-party="ua"]')?.querySelector('[data-pending]')).toBeTruthy();

    live.emit('proposal', entry(5, b));
    await waitFor(() => expect(badge().getAttribute('aria-label')).toBe('Review queue: 2 proposals waiting'));
    expect(cellText('ru')).toBe('—No stated position, 1 pending');
    // A decision takes it out; an older state arriving late does not bring it back.
    live.emit('proposal', entry(6, { ...a, status: 'approved', version: 2 }, 'proposal.decided'));
    live.emit('proposal', entry(7, a, 'proposal.updated'));
    await waitFor(() => expect(badge().getAttribute('aria-label')).toBe('Review queue: 1 proposal waiting'));
    expect(cellText('ua')).toBe('Reject');

    // First joined: the list is read again (c was made before the join), merged with what came live
    // (a was decided, although the page read before still lists it).
    live.emit('reviewJoined', 7, true);
    await waitFor(() => expect(badge().getAttribute('aria-label')).toBe('Review queue: 2 proposals waiting'));
    expect(calls.map((x) => x.url)).toEqual(['/api/negotiations/demo/proposals?limit=200&status=open']);
    expect(cellText('ua')).toBe('Reject, 1 pending');
    expect(cellText('ru')).toBe('—No stated position, 1 pending');
  });
});
