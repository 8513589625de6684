import type { SearchHit, SearchResult } from '@parley/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { hitLabel, hitTarget } from './hit-target';
import { SearchBox } from './SearchBox';

const stanceHit: SearchHit = {
  kind: 'stance',
  score: 5,
  field: 'quote',
  snippet: [
    { text: '<img src=x onerror=alert(1)> said ', match: false },
    { text: 'Rutte', match: true },
    { text: ' in Geneva', match: false },
  ],
  stance: {
    id: 'e1',
    partyId: 'nato',
    partyCode: 'NATO',
    partyName: 'NATO',
    pointId: 'p7',
    pointCode: '7',
    pointTitle: 'NATO membership',
    position: 'reject',
    effectiveAt: '2025-11-22T00:00:00.000Z',
    recordedAt: '2025-11-23T08:00:00.000Z',
    retracted: false,
    quoteLanguage: 'en',
    translationLanguage: null,
  },
};
const result: SearchResult = { q: 'Rutte', total: 1, truncated: false, hits: [stanceHit] };

describe('search', () => {
  it('opens a stance at its cell and date, a provision in its document, a point, a source in its panel', () => {
    expect(hitTarget(stanceHit)).toEqual({ view: 'matrix', point: 'p7', asOf: '2025-11-22' });
    expect(hitTarget({ kind: 'point', score: 4, field: 'title', snippet: [], point: { id: 'p2', code: '2', title: 'T' } })).toEqual({ view: 'matrix', point: 'p2' });
    const provision: SearchHit = { kind: 'provision', score: 3, field: 'text', snippet: [], provision: { documentId: 'd1', documentTitle: '28-point plan', publishedAt: '2025-11-20T00:00:00.000Z', pointId: 'p3', pointCode: '3', pointTitle: 'T', number: '12' } };
    expect(hitTarget(provision)).toEqual({ view: 'matrix', point: 'p3', doc: 'd1', asOf: '2025-11-20' });
    expect(hitLabel(provision)).toBe('28-point plan § 12 (point 3) · 2025-11-20');
    const source = { id: 's', kind: 'news_report' as const, outlet: 'BBC', title: 'x', publishedAt: '2025-11-23T00:00:00.000Z' };
    // A source, or an archived copy's text, opens the source's panel through the URL, over the view shown.
    expect(hitTarget({ kind: 'source', score: 1, field: 'title', snippet: [], source })).toEqual({ source: 's' });
    expect(hitTarget({ kind: 'archive', score: 1, field: 'text', snippet: [], source, archive: { id: 'a1', archivedAt: '2025-11-24T09:00:00.000Z' } })).toEqual({ source: 's' });
    expect(hitLabel({ ...stanceHit, stance: { ...stanceHit.stance, retracted: true } })).toBe('NATO on 7 NATO membership · 2025-11-22 · retracted');
    // A proposal (staff only) opens the review queue on it.
    const proposal: SearchHit = {
      kind: 'proposal',
      score: 5,
      field: 'quote',
      snippet: [],
      proposal: { id: 'pr1', kind: 'stance', status: 'changes_requested', author: 'ana@example.org', createdAt: '2025-12-01T00:00:00.000Z', partyId: 'nato', partyCode: 'NATO', partyName: 'NATO', pointId: 'p7', pointCode: '7', pointTitle: 'NATO membership', position: 'reject' },
    };
    expect(hitTarget(proposal)).toEqual({ view: 'review', proposal: 'pr1', point: null, milestone: null });
    expect(hitLabel(proposal)).toBe('Stance proposed by ana@example.org · NATO on 7 NATO membership · changes requested');
  });

  it('shows the hits with their matches marked as text, and opens the one chosen', () => {
    const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
    client.setQueryData(['search', 'demo', 'Rutte'], result);
    const onOpen = jest.fn();
    const { container } = render(
      <QueryClientProvider client={client}>
        <SearchBox slug="demo" onOpen={onOpen} />
      </QueryClientProvider>,
    );
    fireEvent.change(screen.getByLabelText('Search this negotiation'), { target: { value: '  Rutte ' } });
    fireEvent.submit(screen.getByRole('search'));
    const results = screen.getByRole('region', { name: 'Search results' });
    expect(within(results).getByRole('status').textContent).toBe('1 hit');
    const marks = results.querySelectorAll('mark');
    expect([...marks].map((m) => m.textContent)).toEqual(['Rutte']);
    // The snippet's text is text: no element comes from it.
    expect(container.querySelector('img')).toBeNull();
    expect(results.textContent).toContain('<img src=x onerror=alert(1)> said Rutte in Geneva');
    fireEvent.click(within(results).getByRole('button', { name: /NATO on 7 NATO membership/ }));
    expect(onOpen).toHaveBeenCalledWith({ view: 'matrix', point: 'p7', asOf: '2025-11-22' });
    expect(screen.queryByRole('region', { name: 'Search results' })).toBeNull();
  });
});
