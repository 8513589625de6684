import type { MatrixView, Negotiation } from '@parley/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen } from '@testing-library/react';
import { matrixView, row } from '../testing/fixtures';
import { App } from './App';

function negotiation(slug: string, title: string): Negotiation {
  return {
    id: `id-${slug}`,
    slug,
    title,
    description: '',
    status: 'active',
    seq: 1,
    version: 1,
    createdAt: '2025-11-20T00:00:00.000Z',
    updatedAt: '2025-11-20T00:00:00.000Z',
  };
}

const party = { id: 'ua', code: 'UA', name: 'Ukraine', color: '#0057b7', parentId: null };

/**
 * Renders the whole app on a query cache filled in advance: no request is made (jsdom has no fetch,
 * so a request would surface as an error state and fail the assertions).
 */
function renderApp(cache: [readonly unknown[], unknown][]) {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  for (const [key, data] of cache) client.setQueryData(key, data);
  return render(
    <QueryClientProvider client={client}>
      <App />
    </QueryClientProvider>,
  );
}

const negotiations = [negotiation('first', 'First talks'), negotiation('second', 'Second talks')];
const firstMatrix: MatrixView = matrixView([row('p1', 'P1', 'Only in first', { ua: 'accept' })], [party]);
const secondMatrix: MatrixView = matrixView([row('p2', 'P2', 'Only in second', { ua: 'reject' })], [party]);
const secondOnDay: MatrixView = matrixView([row('p2', 'P2', 'Second on a day', { ua: 'unclear' })], [party]);

describe('App', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('shows the first negotiation when the URL names none', () => {
    renderApp([
      [['negotiations'], negotiations],
      [['matrix', 'first', null], firstMatrix],
    ]);
    expect((screen.getByLabelText('Negotiation') as HTMLSelectElement).value).toBe('first');
    expect(screen.getByText('Only in first')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'API docs' }).getAttribute('href')).toBe('/api/docs');
  });

  it('takes the negotiation and the as-of day from the URL', () => {
    window.history.replaceState(null, '', '/?n=second&asOf=2025-11-21');
    renderApp([
      [['negotiations'], negotiations],
      [['matrix', 'second', '2025-11-21'], secondOnDay],
    ]);
    expect((screen.getByLabelText('Negotiation') as HTMLSelectElement).value).toBe('second');
    expect((screen.getByLabelText('As of') as HTMLInputElement).value).toBe('2025-11-21');
    expect(screen.getByText('Second on a day')).toBeTruthy();
    expect(screen.getByRole('table', { name: /as of 2025-11-21/ })).toBeTruthy();
  });

  it('writes the chosen negotiation and day into the URL', () => {
    renderApp([
      [['negotiations'], negotiations],
      [['matrix', 'first', null], firstMatrix],
      [['matrix', 'second', null], secondMatrix],
      [['matrix', 'second', '2025-11-21'], secondOnDay],
    ]);
    fireEvent.change(screen.getByLabelText('Negotiation'), { target: { value: 'second' } });
    expect(window.location.search).toBe('?n=second');
    expect(screen.getByText('Only in second')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('As of'), { target: { value: '2025-11-21' } });
    expect(new URLSearchParams(window.location.search).get('asOf')).toBe('2025-11-21');
    expect(screen.getByText('Second on a day')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Now' }));
    expect(new URLSearchParams(window.location.search).has('asOf')).toBe(false);
  });

  it('summarises rows over the party columns shown when the party filter hides some', () => {
    const russia = { id: 'ru', code: 'RU', name: 'Russia', color: '#d52b1e', parentId: null };
    const both = matrixView([row('p1', 'P1', 'Only in first', { ua: 'accept', ru: 'red_line' })], [party, russia]);
    const summary = () => screen.getByRole('rowheader').closest('tr')!.querySelector('.col-summary')!.textContent;
    window.history.replaceState(null, '', '/?n=first');
    const { unmount } = renderApp([
      [['negotiations'], negotiations],
      [['matrix', 'first', null], both],
    ]);
    expect(summary()).toBe('Blocked');
    unmount();

    window.history.replaceState(null, '', '/?n=first&parties=UA');
    renderApp([
      [['negotiations'], negotiations],
      [['matrix', 'first', null], both],
    ]);
    expect(screen.queryByRole('columnheader', { name: 'Russia' })).toBeNull();
    expect(summary()).toBe('Agreed');
    expect(screen.getByRole('table', { name: /summaries over the 1 of 2 parties shown/ })).toBeTruthy();
    expect(screen.getByTestId('matrix-totals').textContent).toBe('Agreed 1 of 1 points · Blocked 0');
  });
});
