import { fireEvent, render, screen } from '@testing-library/react';
import { matrixView, row } from '../../testing/fixtures';
import { MatrixTable } from './MatrixTable';

const parties = [
  { id: 'ua', code: 'UA', name: 'Ukraine', color: '#0057b7', parentId: null },
  { id: 'ru', code: 'RU', name: 'Russia', color: '#d52b1e', parentId: null },
];
const view = matrixView(
  [row('p1', 'P1', 'One', { ua: 'accept', ru: 'reject' }), row('p2', 'P2', 'Two', { ua: null, ru: 'red_line' }), row('p3', 'P3', 'Three', { ua: 'amend', ru: null })],
  parties,
);
const inTabOrder = () => [...document.querySelectorAll('tbody [tabindex="0"]')];
const cell = (point: string, party: string) => document.querySelector<HTMLElement>(`td[data-point="${point}"][data-party="${party}"]`)!;

describe('MatrixTable keyboard grid', () => {
  it('keeps one element in the tab order and moves focus with the arrow keys, Home and End', () => {
    render(<MatrixTable view={view} caption="Positions now" />);
    // Roving tabindex: only the first element of the grid is tabbable.
    expect(inTabOrder()).toHaveLength(1);
    const start = cell('p1', 'ua');
    start.focus();
    expect(inTabOrder()).toEqual([start]);

    fireEvent.keyDown(start, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(cell('p1', 'ru'));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(cell('p2', 'ru'));
    expect(inTabOrder()).toEqual([cell('p2', 'ru')]);
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(cell('p2', 'ua'));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(cell('p1', 'ua'));

    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(document.activeElement?.className).toContain('col-summary');
    fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    expect(document.activeElement?.textContent).toBe('P1One');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    expect(document.activeElement?.textContent).toBe('P1One');
    fireEvent.keyDown(document.activeElement!, { key: 'End', ctrlKey: true });
    expect(document.activeElement?.className).toContain('col-summary');
    expect(document.activeElement?.closest('tr')?.textContent).toContain('Three');
  });

  it('moves between the buttons of analyst cells and point titles', () => {
    render(<MatrixTable view={view} caption="Positions now" onEdit={() => undefined} onOpenPoint={() => undefined} />);
    const title = screen.getByRole('button', { name: 'One' });
    expect(title.tabIndex).toBe(0);
    title.focus();
    fireEvent.keyDown(title, { key: 'ArrowRight' });
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Ukraine on P1 One: Accept' }));
    expect(title.tabIndex).toBe(-1);
  });
});
