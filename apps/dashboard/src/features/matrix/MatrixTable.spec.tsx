import { render, screen, within } from '@testing-library/react';
import { matrixView, row } from '../../testing/fixtures';
import { MatrixTable } from './MatrixTable';

const parties = [
  { id: 'ua', code: 'UA', name: 'Ukraine', color: '#0057b7', parentId: null },
  { id: 'ru', code: 'RU', name: 'Russia', color: '#d52b1e', parentId: null },
  { id: 'us', code: 'US', name: 'United States', color: '#3c3b6e', parentId: null },
];

const view = matrixView(
  [
    row('p1', 'P1', 'Ceasefire along the contact line', { ua: 'accept', ru: 'conditional', us: 'accept' }, 'military'),
    row('p2', 'P2', 'Neutral status', { ua: 'red_line', ru: 'accept', us: 'amend' }, 'security_guarantees'),
    row('p3', 'P3', 'Sanctions relief', { ua: 'reject', ru: 'accept', us: null }, 'sanctions'),
    row('p4', 'P4', 'Prisoner exchange', { ua: null, ru: null, us: null }, 'humanitarian'),
  ],
  parties,
);

describe('MatrixTable', () => {
  it('renders one row per point and one column per party, plus point, category and summary columns', () => {
    render(<MatrixTable view={view} caption="Positions now" />);
    const table = screen.getByRole('table', { name: 'Positions now' });
    const [head, body] = within(table).getAllByRole('rowgroup');
    expect(within(body!).getAllByRole('row')).toHaveLength(4);
    const headers = within(head!).getAllByRole('columnheader');
    expect(headers.map((h) => h.textContent)).toEqual(['Point', 'Category', 'Ukraine', 'Russia', 'United States', 'Summary']);
    for (const h of headers) expect(h.getAttribute('scope')).toBe('col');
  });

  it('uses row headers with the point code and title, and the category label', () => {
    render(<MatrixTable view={view} caption="Positions now" />);
    const rowHeaders = screen.getAllByRole('rowheader');
    expect(rowHeaders).toHaveLength(4);
    expect(rowHeaders[1]!.textContent).toBe('P2Neutral status');
    expect(rowHeaders[1]!.getAttribute('scope')).toBe('row');
    const secondRow = rowHeaders[1]!.closest('tr')!;
    expect(within(secondRow).getByText('Security guarantees')).toBeTruthy();
  });

  it('shows each party colour as a swatch in its column header', () => {
    render(<MatrixTable view={view} caption="Positions now" />);
    const header = screen.getByRole('columnheader', { name: 'Russia' });
    const swatch = header.querySelector<HTMLElement>('.swatch');
    expect(swatch?.style.backgroundColor).toBe('rgb(213, 43, 30)');
  });

  it('puts each stance in the column of its party', () => {
    render(<MatrixTable view={view} caption="Positions now" />);
    const cells = within(screen.getAllByRole('rowheader')[1]!.closest('tr')!).getAllByRole('cell');
    // category, UA, RU, US, summary
    expect(cells.map((c) => c.dataset['position'] ?? null)).toEqual([null, 'red_line', 'accept', 'amend', null]);
  });

  it('summarises each row as agreed, blocked or a spread, in words with an SVG icon (no emoji font needed)', () => {
    render(<MatrixTable view={view} caption="Positions now" />);
    const cells = screen.getAllByRole('rowheader').map((h) => within(h.closest('tr')!).getAllByRole('cell').at(-1)!);
    expect(cells.map((c) => c.textContent)).toEqual(['Agreed', 'Blocked', 'Spread 3', 'No positions']);
    expect(cells.map((c) => c.querySelector('svg')?.getAttribute('data-icon') ?? null)).toEqual(['agreed', 'blocked', 'spread', null]);
    for (const svg of document.querySelectorAll('.col-summary svg')) expect(svg.getAttribute('aria-hidden')).toBe('true');
  });

  it('leaves out the category column when asked (wall display), with one <col> per column', () => {
    render(<MatrixTable view={view} caption="Positions now" showCategory={false} />);
    const headers = screen.getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['Point', 'Ukraine', 'Russia', 'United States', 'Summary']);
    expect(document.querySelectorAll('col')).toHaveLength(headers.length);
    expect(screen.queryByText('Security guarantees')).toBeNull();
  });

  it('shows the empty cells of silent parties as "no stated position"', () => {
    render(<MatrixTable view={view} caption="Positions now" />);
    const table = screen.getByRole('table');
    expect(table.querySelectorAll('td[data-position="none"]')).toHaveLength(4);
    expect(table.querySelectorAll('td[data-position]')).toHaveLength(12);
  });

  it('shows the totals line', () => {
    render(<MatrixTable view={view} caption="Positions now" />);
    expect(screen.getByTestId('matrix-totals').textContent).toBe('Agreed 1 of 4 points · Blocked 1');
  });

  it('says so instead of rendering an empty table when there are no points', () => {
    render(<MatrixTable view={matrixView([], parties)} caption="Positions now" />);
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByText('This negotiation has no points yet.')).toBeTruthy();
  });
});
