import { act, render, screen } from '@testing-library/react';
import { matrixView, row, stance } from '../../testing/fixtures';
import { fakeMatrixLayout } from '../../testing/layout';
import { CellFlashContext, CellFlashStore } from '../live/flash-store';
import { applyCellUpdate } from '../live/matrix-cache';
import { MatrixTable } from './MatrixTable';

// Every render of a MatrixCell calls useCellFlash once, with its (point, party): count them.
const renders: string[] = [];
jest.mock('../live/flash-store', () => {
  const actual = jest.requireActual('../live/flash-store');
  return {
    ...actual,
    useCellFlash: (pointId: string, partyId: string) => {
      renders.push(`${pointId}/${partyId}`);
      return actual.useCellFlash(pointId, partyId);
    },
  };
});

const parties = [
  { id: 'ua', code: 'UA', name: 'Ukraine', color: '#0057b7', parentId: null },
  { id: 'ru', code: 'RU', name: 'Russia', color: '#d52b1e', parentId: null },
  { id: 'us', code: 'US', name: 'United States', color: '#3c3b6e', parentId: null },
];
const rows = Array.from({ length: 20 }, (_, i) => row(`p${i}`, `P${i}`, `Point ${i}`, { ua: 'accept', ru: 'reject', us: null }));
const onEdit = jest.fn();

describe('MatrixTable re-renders', () => {
  beforeEach(() => (renders.length = 0));

  it('re-renders only the changed cell when a live update replaces it in the view', () => {
    const flash = new CellFlashStore();
    const before = matrixView(rows, parties);
    const { rerender } = render(
      <CellFlashContext.Provider value={flash}>
        <MatrixTable view={before} caption="Positions now" onEdit={onEdit} />
      </CellFlashContext.Provider>,
    );
    expect(renders).toHaveLength(60);

    renders.length = 0;
    const after = applyCellUpdate(before, { partyId: 'ru', pointId: 'p7', version: 2, current: stance('accept', { partyId: 'ru', pointId: 'p7' }) }, 43)!;
    rerender(
      <CellFlashContext.Provider value={flash}>
        <MatrixTable view={after} caption="Positions now" onEdit={onEdit} />
      </CellFlashContext.Provider>,
    );
    expect(renders).toEqual(['p7/ru']);
    expect(screen.getByRole('button', { name: 'Russia on P7 Point 7: Accept' })).toBeTruthy();

    // The highlight re-renders that one cell too, and marks it.
    renders.length = 0;
    act(() => flash.mark('p7', 'ru'));
    expect(renders).toEqual(['p7/ru']);
    expect(screen.getByRole('button', { name: 'Russia on P7 Point 7: Accept' }).closest('td')!.className).toContain('cell--flash');
    act(() => flash.clear());
  });

  it('re-renders only the changed cell of a large, windowed matrix, and no cell for a row off screen', () => {
    const restore = fakeMatrixLayout();
    try {
      const many = Array.from({ length: 200 }, (_, i) => row(`q${i}`, `Q${i}`, `Point ${i}`, { ua: 'accept', ru: 'reject', us: null }));
      const before = matrixView(many, parties);
      const { rerender } = render(<MatrixTable view={before} caption="Positions now" onEdit={onEdit} />);
      const shown = document.querySelectorAll('tbody tr[data-row]').length;
      expect(shown).toBeLessThan(100);
      expect(new Set(renders).size).toBe(shown * 3);

      renders.length = 0;
      const after = applyCellUpdate(before, { partyId: 'ru', pointId: 'q2', version: 2, current: stance('accept', { partyId: 'ru', pointId: 'q2' }) }, 43)!;
      rerender(<MatrixTable view={after} caption="Positions now" onEdit={onEdit} />);
      expect(renders).toEqual(['q2/ru']);

      renders.length = 0;
      const offScreen = applyCellUpdate(after, { partyId: 'ru', pointId: 'q190', version: 2, current: stance('accept', { partyId: 'ru', pointId: 'q190' }) }, 44)!;
      rerender(<MatrixTable view={offScreen} caption="Positions now" onEdit={onEdit} />);
      expect(renders).toEqual([]);
    } finally {
      restore();
    }
  });

  it('makes cells focusable buttons named "party on point: position" in analyst mode', () => {
    render(<MatrixTable view={matrixView(rows.slice(0, 1), parties)} caption="Positions now" onEdit={onEdit} />);
    const cell = screen.getByRole('button', { name: 'Ukraine on P0 Point 0: Accept' });
    cell.click();
    expect(onEdit).toHaveBeenCalledWith('p0', 'ua');
    expect(screen.getByRole('button', { name: 'United States on P0 Point 0: No stated position' })).toBeTruthy();
  });

  it('has no cell buttons for a viewer', () => {
    render(<MatrixTable view={matrixView(rows.slice(0, 1), parties)} caption="Positions now" />);
    expect(screen.queryAllByRole('button')).toHaveLength(0);
  });
});
