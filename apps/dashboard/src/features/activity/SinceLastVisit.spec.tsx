import type { MatrixView, Negotiation } from '@parley/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { App } from '../../app/App';
import { matrixView, row, stance } from '../../testing/fixtures';
import { readLastSeen, resetLastVisitBaselines } from './last-seen';

const negotiation: Negotiation = {
  id: 'id-talks',
  slug: 'talks',
  title: 'Talks',
  description: '',
  status: 'active',
  seq: 60,
  version: 1,
  createdAt: '2025-11-20T00:00:00.000Z',
  updatedAt: '2025-11-20T00:00:00.000Z',
};
const parties = [
  { id: 'ua', code: 'UA', name: 'Ukraine', color: '#0057b7', parentId: null },
  { id: 'ru', code: 'RU', name: 'Russia', color: '#d52b1e', parentId: null },
];

/** Two cells recorded after seq 50 (the last visit), two before it. */
function view(): MatrixView {
  const rows = [row('p1', 'P1', 'One', { ua: 'accept', ru: 'reject' }), row('p2', 'P2', 'Two', { ua: 'amend', ru: 'red_line' })];
  const at = (seq: number, position: 'accept' | 'reject' | 'amend' | 'red_line', pointId: string, partyId: string) =>
    ({ version: 1, stance: stance(position, { seq, pointId, partyId }), corroboration: { outlets: 1, sources: 1, corroborated: false } });
  rows[0]!.cells = { ua: at(10, 'accept', 'p1', 'ua'), ru: at(55, 'reject', 'p1', 'ru') };
  rows[1]!.cells = { ua: at(20, 'amend', 'p2', 'ua'), ru: at(58, 'red_line', 'p2', 'ru') };
  return { ...matrixView(rows, parties), seq: 60 };
}

function renderApp(search: string) {
  window.history.replaceState(null, '', search);
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  client.setQueryData(['negotiations'], [negotiation]);
  client.setQueryData(['matrix', 'talks', null], view());
  return render(
    <QueryClientProvider client={client}>
      <App />
    </QueryClientProvider>,
  );
}

const cell = (point: string, party: string) => document.querySelector<HTMLElement>(`td[data-point="${point}"][data-party="${party}"]`)!;

describe('changed since your last visit, in the matrix', () => {
  beforeEach(() => {
    window.localStorage.clear();
    resetLastVisitBaselines();
  });
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('marks the cells changed since the last visit, says how many and when, and clears them with "mark as seen"', () => {
    window.localStorage.setItem('parley:lastSeenSeq:talks', '50');
    window.localStorage.setItem('parley:lastSeenAt:talks', '2025-11-26T09:30:00.000Z');
    renderApp('/?n=talks');

    const status = screen.getByText(/changed since your last visit \(/).closest('p')!;
    expect(status.textContent).toMatch(/^2 cells changed since your last visit \(.*2025.*09:30.*UTC\) — mark as seen$/);

    // Marked with a dot and said in words, not by colour alone.
    expect(cell('p1', 'ru').dataset['changed']).toBe('since-visit');
    expect(cell('p2', 'ru').dataset['changed']).toBe('since-visit');
    expect(within(cell('p1', 'ru')).getByText(', changed since your last visit')).toBeTruthy();
    expect(cell('p1', 'ru').querySelector('.cell__new')).toBeTruthy();
    expect(cell('p1', 'ua').dataset['changed']).toBeUndefined();
    expect(cell('p1', 'ua').textContent).not.toContain('changed since');
    // This visit is recorded for the next one, while this page keeps its markers.
    expect(readLastSeen('talks')).toBe(60);

    fireEvent.click(within(status).getByRole('button', { name: 'mark as seen' }));
    expect(screen.queryByText(/changed since your last visit \(/)).toBeNull();
    expect(document.querySelectorAll('[data-changed]')).toHaveLength(0);
    expect(readLastSeen('talks')).toBe(60);
  });

  it('counts only the party columns shown', () => {
    window.localStorage.setItem('parley:lastSeenSeq:talks', '50');
    renderApp('/?n=talks&parties=UA');
    expect(screen.queryByText(/cells? changed since your last visit/)).toBeNull();
    expect(document.querySelectorAll('[data-changed]')).toHaveLength(0);
  });

  it('shows nothing on a first visit', () => {
    renderApp('/?n=talks');
    expect(screen.queryByText(/cells? changed since your last visit/)).toBeNull();
    expect(document.querySelectorAll('[data-changed]')).toHaveLength(0);
    expect(readLastSeen('talks')).toBe(60);
  });

  it('shows nothing on the wall display, which nobody in particular visits', () => {
    window.localStorage.setItem('parley:lastSeenSeq:talks', '50');
    renderApp('/?n=talks&screen=big');
    expect(cell('p1', 'ru').dataset['position']).toBe('reject');
    expect(screen.queryByText(/cells? changed since your last visit/)).toBeNull();
    expect(document.querySelectorAll('[data-changed]')).toHaveLength(0);
  });
});
