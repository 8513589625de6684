import type { MatrixRow, MatrixView, PlanDocument } from '@parley/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { parseParams, patchSearch, useUrlParams } from '../../shared/url-state';
import { matrixView, row } from '../../testing/fixtures';
import { MatrixPanel } from '../matrix/MatrixPanel';
import { filterRows, toggleParty } from './matrix-filter';

const parties = [
  { id: 'ua', code: 'UA', name: 'Ukraine', color: '#0057b7', parentId: null },
  { id: 'ru', code: 'RU', name: 'Russia', color: '#d52b1e', parentId: null },
];
const rows: MatrixRow[] = [
  row('p1', 'P1', 'Ceasefire along the contact line', { ua: 'accept', ru: 'conditional' }, 'military'),
  row('p2', 'P2', 'Neutral status', { ua: 'red_line', ru: 'accept' }, 'security_guarantees'),
  row('p3', 'P3', 'Sanctions relief', { ua: 'reject', ru: 'accept' }, 'sanctions'),
  row('p4', 'P4', 'Frozen assets', { ua: null, ru: null }, 'sanctions'),
];
const view = matrixView(rows, parties);
// The same points as numbered in a document, with its provision text.
const inDocument: MatrixView = {
  ...view,
  documentId: 'd1',
  rows: rows.map((r, i) => ({ ...r, number: String(i + 1), text: i === 3 ? 'Frozen Russian assets fund reconstruction in Ukraine' : 'Other text' })),
};
const documents = [{ id: 'd1', title: 'US 28-point draft', shortTitle: '28 points', publishedAt: '2025-11-20T00:00:00.000Z', provisions: [] }] as unknown as PlanDocument[];

function Harness() {
  const [params, setParams] = useUrlParams();
  return <MatrixPanel slug="s" params={params} setParams={setParams} />;
}

function renderPanel() {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  client.setQueryData(['matrix', 's', null], view);
  client.setQueryData(['matrix', 's', null, null, { documentId: 'd1' }], inDocument);
  client.setQueryData(['documents', 's'], documents);
  return render(
    <QueryClientProvider client={client}>
      <Harness />
    </QueryClientProvider>,
  );
}

const titles = () => screen.queryAllByRole('rowheader').map((h) => h.querySelector('.point-title')?.textContent);
const url = () => new URLSearchParams(window.location.search);

describe('matrix filters', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('narrows the rows by category and by status, says "n of m points", and keeps both in the URL', () => {
    renderPanel();
    expect(titles()).toHaveLength(4);
    expect(screen.getByTestId('filter-count').textContent).toBe('4 of 4 points');

    fireEvent.change(screen.getByLabelText('Category'), { target: { value: 'sanctions' } });
    expect(url().get('cat')).toBe('sanctions');
    expect(titles()).toEqual(['Sanctions relief', 'Frozen assets']);
    expect(screen.getByTestId('filter-count').textContent).toBe('2 of 4 points');

    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'none' } });
    expect(url().get('status')).toBe('none');
    expect(titles()).toEqual(['Frozen assets']);

    fireEvent.change(screen.getByLabelText('Category'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'blocked' } });
    expect(titles()).toEqual(['Neutral status']);
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'open' } });
    expect(titles()).toEqual(['Sanctions relief']);

    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(window.location.search).toBe('');
    expect(titles()).toHaveLength(4);
  });

  it('searches point titles, and the provision text of the chosen document', () => {
    renderPanel();
    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'CEASEFIRE' } });
    expect(url().get('q')).toBe('CEASEFIRE');
    expect(titles()).toEqual(['Ceasefire along the contact line']);

    // "reconstruction" is only in the document's text of p4.
    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'reconstruction' } });
    expect(titles()).toEqual([]);
    expect(screen.getByText(/No points match the filters/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Document'), { target: { value: 'd1' } });
    expect(url().get('doc')).toBe('d1');
    expect(titles()).toEqual(['Frozen assets']);
    expect(screen.getByTestId('filter-count').textContent).toBe('1 of 4 points');
  });

  it('hides and shows party columns', () => {
    renderPanel();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Russia' }));
    expect(url().get('parties')).toBe('UA');
    const table = screen.getByRole('table');
    expect(within(table).queryByRole('columnheader', { name: 'Russia' })).toBeNull();
    expect(within(table).getByRole('columnheader', { name: 'Ukraine' })).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Russia' }));
    expect(url().has('parties')).toBe(false);
    expect(within(screen.getByRole('table')).getByRole('columnheader', { name: 'Russia' })).toBeTruthy();
  });

  it('restores every filter from a shared URL', () => {
    // With only Russia shown, "Sanctions relief" is agreed (Russia accepts; Ukraine's reject is hidden):
    // the status filter goes by the summary of the columns shown.
    window.history.replaceState(null, '', '/?cat=sanctions&status=agreed&q=relief&parties=RU');
    renderPanel();
    expect((screen.getByLabelText('Category') as HTMLSelectElement).value).toBe('sanctions');
    expect((screen.getByLabelText('Status') as HTMLSelectElement).value).toBe('agreed');
    expect((screen.getByLabelText('Search') as HTMLInputElement).value).toBe('relief');
    expect((screen.getByRole('checkbox', { name: 'Ukraine' }) as HTMLInputElement).checked).toBe(false);
    expect(titles()).toEqual(['Sanctions relief']);
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Point', 'Category', 'Russia', 'Summary']);
  });

  it('round-trips through the query string and ignores an unknown status', () => {
    const search = patchSearch('', { cat: 'legal', status: 'agreed', parties: 'UA,RU', q: 'two words' });
    expect(parseParams(search)).toMatchObject({ cat: 'legal', status: 'agreed', parties: 'UA,RU', q: 'two words' });
    expect(parseParams('?status=maybe').status).toBeNull();
  });

  it('filters without copying rows, and "-" stands for no party at all', () => {
    const kept = filterRows(rows, { cat: 'sanctions', status: null, parties: null, q: 'frozen' });
    expect(kept).toEqual([rows[3]]);
    expect(kept[0]).toBe(rows[3]);
    expect(toggleParty(parties, 'UA', 'UA', false)).toBe('-');
    expect(toggleParty(parties, null, 'RU', false)).toBe('UA');
  });
});
