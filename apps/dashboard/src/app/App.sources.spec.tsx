import type { Negotiation, Party, SearchResult, SourceStancesPage } from '@parley/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { matrixView, row, sourceRecord, stance } from '../testing/fixtures';
import { App } from './App';

/**
 * A source's panel is URL state (`?source=<id>`): the Sources view and the search's source and
 * archive hits open it, a link to it opens it, and Back closes it. The query cache is filled in
 * advance, so no request is made.
 */
const negotiation: Negotiation = {
  id: 'id-demo',
  slug: 'demo',
  title: 'Demo talks',
  description: '',
  status: 'active',
  seq: 1,
  version: 1,
  createdAt: '2025-11-20T00:00:00.000Z',
  updatedAt: '2025-11-20T00:00:00.000Z',
};
const ua = { id: 'ua', code: 'UA', name: 'Ukraine', color: '#0057b7', parentId: null };
const parties: Party[] = [{ ...ua, negotiationId: 'id-demo', kind: 'state', color: '#0057b7', description: '', sortOrder: 0, actors: [], version: 1, createdAt: '2025-11-20T00:00:00.000Z', updatedAt: '2025-11-20T00:00:00.000Z' }];
const ARCHIVE = { sha256: 'd'.repeat(64), size: 5000, contentType: 'text/plain' as const, archivedAt: '2025-11-24T09:00:00.000Z', archivedBy: 'ana@example.org', textLength: 4900 };
const bbc = sourceRecord({ id: 's-bbc', outlet: 'BBC News Brasil', title: 'O plano de paz', publishedAt: '2025-11-23T00:00:00.000Z', archive: ARCHIVE, citedBy: 1 });
const tass = sourceRecord({ id: 's-tass', outlet: 'TASS', title: 'Заявление', publishedAt: '2025-11-21T00:00:00.000Z', citedBy: 1 });
const citing = (sourceId: string, partyId: string): SourceStancesPage => ({
  sourceId,
  nextBeforeSeq: null,
  items: [stance('reject', { id: `e-${sourceId}`, partyId, pointId: 'p1', effectiveAt: '2025-11-22T00:00:00.000Z' })],
});
const found: SearchResult = {
  q: 'plano',
  total: 2,
  truncated: false,
  hits: [
    { kind: 'archive', score: 3, field: 'text', snippet: [{ text: 'o ', match: false }, { text: 'plano', match: true }], source: { id: 's-bbc', kind: 'news_report', outlet: 'BBC News Brasil', title: 'O plano de paz', publishedAt: '2025-11-23T00:00:00.000Z' }, archive: { id: 'a1', archivedAt: ARCHIVE.archivedAt } },
    { kind: 'source', score: 2, field: 'title', snippet: [{ text: 'plano', match: true }], source: { id: 's-tass', kind: 'news_report', outlet: 'TASS', title: 'Заявление', publishedAt: '2025-11-21T00:00:00.000Z' } },
  ],
};

function renderApp() {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  const cache: [readonly unknown[], unknown][] = [
    [['negotiations'], [negotiation]],
    [['matrix', 'demo', null], matrixView([row('p1', 'P1', 'Ceasefire line', { ua: 'reject' })], [ua])],
    [['parties', 'demo'], parties],
    [['points', 'demo'], [{ id: 'p1', negotiationId: 'id-demo', code: 'P1', title: 'Ceasefire line', category: 'territory', description: '', sortOrder: 1, derivedFrom: [], version: 1, createdAt: '2025-11-20T00:00:00.000Z', updatedAt: '2025-11-20T00:00:00.000Z' }]],
    [['sources', 'demo'], new Map([bbc, tass].map((s) => [s.id, s]))],
    [['source-stances', 'demo', 's-bbc'], citing('s-bbc', 'ua')],
    [['source-stances', 'demo', 's-tass'], citing('s-tass', 'ua')],
    [['search', 'demo', 'plano'], found],
    [['point-history', 'demo', 'p1', null], { point: { id: 'p1', code: 'P1', title: 'Ceasefire line', category: 'territory' }, provisions: [], inherited: [], events: citing('s-tass', 'ua').items.map((e) => ({ ...e, source: { ...e.source, id: 's-tass', outlet: 'TASS', title: 'Заявление' } })) }],
  ];
  for (const [key, data] of cache) client.setQueryData(key, data);
  return render(
    <QueryClientProvider client={client}>
      <App />
    </QueryClientProvider>,
  );
}

const search = (q: string) => {
  fireEvent.change(screen.getByLabelText('Search this negotiation'), { target: { value: q } });
  fireEvent.submit(screen.getByRole('search', { name: '' }));
};
const back = () => act(() => window.history.back());

describe('sources in the URL', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('a search hit of an archived copy or a source opens that source’s panel through the URL; Back closes it', async () => {
    window.history.replaceState(null, '', '/?n=demo');
    renderApp();
    search('plano');
    const results = screen.getByRole('region', { name: 'Search results' });
    fireEvent.click(within(results).getByRole('button', { name: /^Archived copy Archived copy of BBC News Brasil — O plano de paz/ }));
    expect(new URLSearchParams(window.location.search).get('source')).toBe('s-bbc');
    // The view stays: the panel opens over the matrix, which keeps its date.
    expect(new URLSearchParams(window.location.search).has('asOf')).toBe(false);
    const panel = screen.getByRole('dialog', { name: 'Source: BBC News Brasil — O plano de paz' });
    expect(within(panel).getByText('archived')).toBeTruthy();
    expect(within(panel).getByRole('link', { name: 'Open stored copy' })).toBeTruthy();
    expect(within(panel).getAllByRole('listitem')).toHaveLength(1);

    await back();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: /^Source:/ })).toBeNull());
    expect(window.location.search).toBe('?n=demo');

    search('plano');
    fireEvent.click(within(screen.getByRole('region', { name: 'Search results' })).getByRole('button', { name: /^Source Source: TASS — Заявление/ }));
    expect(screen.getByRole('dialog', { name: 'Source: TASS — Заявление' })).toBeTruthy();
    expect(new URLSearchParams(window.location.search).get('source')).toBe('s-tass');
  });

  it('a shared link to the sources view opens it filtered and ordered as it was', () => {
    window.history.replaceState(null, '', '/?n=demo&view=sources&srcOutlet=BBC%20News%20Brasil&srcSort=oldest');
    renderApp();
    expect((screen.getByLabelText('Outlet') as HTMLSelectElement).value).toBe('BBC News Brasil');
    const table = screen.getByRole('table', { name: '1 of 2 sources' });
    expect(within(table).getByRole('button', { name: 'Published (oldest first)' })).toBeTruthy();
    expect(within(table).getAllByRole('row').slice(1).map((r) => r.getAttribute('data-source-id'))).toEqual(['s-bbc']);
  });

  it('a shared link opens the panel; a citing stance opens its point at its day; an unknown source says so', () => {
    window.history.replaceState(null, '', '/?n=demo&source=s-tass');
    const { unmount } = renderApp();
    const panel = screen.getByRole('dialog', { name: 'Source: TASS — Заявление' });
    fireEvent.click(within(panel).getByRole('button', { name: 'Ukraine on P1' }));
    const params = new URLSearchParams(window.location.search);
    expect(params.get('point')).toBe('p1');
    expect(params.get('asOf')).toBe('2025-11-22');
    expect(params.has('source')).toBe(false);
    unmount();

    window.history.replaceState(null, '', '/?n=demo&source=s-gone');
    renderApp();
    expect(within(screen.getByRole('dialog', { name: 'Source' })).getByRole('status').textContent).toBe('This negotiation has no source “s-gone”.');
  });

  it('the point drawer’s “Every stance citing it” opens the source’s panel through the URL too, and Back returns to the drawer', async () => {
    window.history.replaceState(null, '', '/?n=demo&point=p1');
    renderApp();
    const drawer = screen.getByRole('dialog', { name: 'P1 · Ceasefire line' });
    fireEvent.click(within(drawer).getByRole('button', { name: 'Every stance citing it' }));
    expect(new URLSearchParams(window.location.search).get('source')).toBe('s-tass');
    expect(screen.getByRole('dialog', { name: 'Source: TASS — Заявление' })).toBeTruthy();
    await back();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: /^Source:/ })).toBeNull());
    expect(screen.getByRole('dialog', { name: 'P1 · Ceasefire line' })).toBeTruthy();
  });

  it('the header’s Sources link shows the sources view; a source there opens its panel, and Back goes back to the list', async () => {
    window.history.replaceState(null, '', '/?n=demo');
    renderApp();
    fireEvent.click(within(screen.getByRole('navigation', { name: 'Views' })).getByRole('link', { name: 'Sources' }));
    expect(new URLSearchParams(window.location.search).get('view')).toBe('sources');
    const table = screen.getByRole('table', { name: '2 sources' });
    // The filters are in the URL (replacing the entry, as the matrix's do), so a filtered list can be shared.
    fireEvent.change(screen.getByLabelText('Filter'), { target: { value: 'tass' } });
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'news_report' } });
    expect(new URLSearchParams(window.location.search).get('srcQ')).toBe('tass');
    expect(new URLSearchParams(window.location.search).get('srcKind')).toBe('news_report');
    expect(screen.getByRole('table', { name: '1 of 2 sources' })).toBe(table);
    fireEvent.click(within(table).getByRole('button', { name: 'Заявление' }));
    expect(screen.getByRole('dialog', { name: 'Source: TASS — Заявление' })).toBeTruthy();
    await back();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: /^Source:/ })).toBeNull());
    expect(new URLSearchParams(window.location.search).get('view')).toBe('sources');
  });
});
