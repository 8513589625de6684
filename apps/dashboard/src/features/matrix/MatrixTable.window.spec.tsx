import { act, fireEvent, render } from '@testing-library/react';
import { matrixView, row } from '../../testing/fixtures';
import { fakeMatrixLayout } from '../../testing/layout';
import { MatrixTable } from './MatrixTable';
import { VIRTUALIZE_ABOVE } from './use-row-window';

const parties = [
  { id: 'ua', code: 'UA', name: 'Ukraine', color: '#0057b7', parentId: null },
  { id: 'ru', code: 'RU', name: 'Russia', color: '#d52b1e', parentId: null },
];
const big = matrixView(
  Array.from({ length: 200 }, (_, i) => row(`p${i}`, `P${i}`, `Point ${i}`, { ua: 'accept', ru: i % 2 ? 'reject' : null })),
  parties,
);
const renderedRows = () => [...document.querySelectorAll<HTMLTableRowElement>('tbody tr[data-row]')];
const focusedRow = () => document.activeElement?.closest('tr');
const cell = (point: string, party: string) => document.querySelector<HTMLElement>(`td[data-point="${point}"][data-party="${party}"]`);

let restore: () => void;
beforeAll(() => (restore = fakeMatrixLayout()));
afterAll(() => restore());

describe('MatrixTable with many rows', () => {
  it('renders only some rows of a large matrix and tells screen readers the real size', () => {
    render(<MatrixTable view={big} caption="Positions now" />);
    const rows = renderedRows();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(50);
    expect(document.querySelector('table')!.getAttribute('aria-rowcount')).toBe('201');
    expect(document.querySelector('thead tr')!.getAttribute('aria-rowindex')).toBe('1');
    expect(rows.map((r) => r.getAttribute('aria-rowindex'))).toEqual(rows.map((_, i) => String(i + 2)));
    // The rows left out are stood for by a blank row, hidden from screen readers.
    const spacer = document.querySelector<HTMLElement>('tbody tr.matrix__spacer');
    expect(spacer?.getAttribute('aria-hidden')).toBe('true');
    expect(cell('p0', 'ua')?.getAttribute('data-position')).toBe('accept');
    expect(cell('p199', 'ua')).toBeNull();
  });

  it('renders every row of a small matrix', () => {
    const small = matrixView(big.rows.slice(0, VIRTUALIZE_ABOVE), parties);
    render(<MatrixTable view={small} caption="Positions now" />);
    expect(renderedRows()).toHaveLength(VIRTUALIZE_ABOVE);
    expect(document.querySelector('tbody tr.matrix__spacer')).toBeNull();
  });

  it('moves the keyboard focus to rows that are not rendered, rendering them first', () => {
    render(<MatrixTable view={big} caption="Positions now" />);
    const start = cell('p0', 'ua')!;
    act(() => start.focus());
    fireEvent.keyDown(start, { key: 'End', ctrlKey: true });
    expect(focusedRow()?.getAttribute('aria-rowindex')).toBe('201');
    expect(document.activeElement?.className).toContain('col-summary');
    expect(focusedRow()?.textContent).toContain('Point 199');

    fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(cell('p199', 'ru'));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(cell('p198', 'ru'));
    fireEvent.keyDown(document.activeElement!, { key: 'PageUp' });
    expect(document.activeElement).toBe(cell('p188', 'ru'));
    // Still one element in the tab order, the focused one.
    expect([...document.querySelectorAll('tbody [tabindex="0"]')]).toEqual([document.activeElement]);

    fireEvent.keyDown(document.activeElement!, { key: 'Home', ctrlKey: true });
    expect(focusedRow()?.getAttribute('aria-rowindex')).toBe('2');
    expect(document.activeElement?.textContent).toBe('P0Point 0');
    // The far row is no longer kept once the focus has left it.
    expect(cell('p199', 'ru')).toBeNull();
  });
});
