/**
 * Keyboard movement across the matrix body with a roving tabindex: one element of the grid is in the
 * tab order (tabindex 0), the others are reached with the arrow keys, Home/End (within a row),
 * Ctrl+Home/End (first/last cell) and PageUp/PageDown. Every navigable element carries `data-nav`;
 * every body row carries `data-row`, its index among all the rows, rendered or not (the matrix renders
 * only the rows near the screen when it is large). The tabindex is moved on the DOM directly, so
 * moving focus re-renders nothing (the cells are memoized).
 */
const NAV = '[data-nav]';

/** Rows moved by PageUp / PageDown. */
export const PAGE_ROWS = 10;

/** A place in the grid: row index among all the rows, column index among a row's navigable elements. */
export interface GridPos {
  row: number;
  col: number;
}

function rowItems(row: Element | null): HTMLElement[] {
  return row ? [...row.querySelectorAll<HTMLElement>(NAV)] : [];
}

/** Where a grid element stands, or null when it is not in a numbered row. */
export function gridPos(el: HTMLElement): GridPos | null {
  const tr = el.closest<HTMLElement>('tr[data-row]');
  if (!tr) return null;
  return { row: Number(tr.dataset['row']), col: rowItems(tr).indexOf(el) };
}

/**
 * The place to move to for a key, or null when the key is not a grid key (or there is nowhere to go).
 * `rows` is the number of rows in the whole grid; `cols` the number of navigable elements in a row.
 */
export function gridMove(from: GridPos, key: string, ctrl: boolean, rows: number, cols: number): GridPos | null {
  const to = (row: number, col: number): GridPos | null =>
    row < 0 || row >= rows || col < 0 || col >= cols || (row === from.row && col === from.col) ? null : { row, col };
  switch (key) {
    case 'ArrowRight':
      return to(from.row, from.col + 1);
    case 'ArrowLeft':
      return to(from.row, from.col - 1);
    case 'ArrowDown':
      return to(from.row + 1, from.col);
    case 'ArrowUp':
      return to(from.row - 1, from.col);
    case 'PageDown':
      return to(Math.min(rows - 1, from.row + PAGE_ROWS), from.col);
    case 'PageUp':
      return to(Math.max(0, from.row - PAGE_ROWS), from.col);
    case 'Home':
      return ctrl ? to(0, 0) : to(from.row, 0);
    case 'End':
      return ctrl ? to(rows - 1, cols - 1) : to(from.row, cols - 1);
    default:
      return null;
  }
}

/** The element at a place of the grid, or null when its row is not rendered. */
export function gridElement(body: HTMLElement, pos: GridPos): HTMLElement | null {
  const items = rowItems(body.querySelector(`tr[data-row="${pos.row}"]`));
  return items[Math.min(pos.col, items.length - 1)] ?? null;
}

/** Makes `el` the one grid element in the tab order. */
export function rove(body: HTMLElement, el: HTMLElement): void {
  for (const other of body.querySelectorAll<HTMLElement>(`${NAV}[tabindex="0"]`)) if (other !== el) other.tabIndex = -1;
  el.tabIndex = 0;
}

/** After a render: keeps exactly one element in the tab order (the first cell when the last one is gone). */
export function ensureRover(body: HTMLElement): void {
  if (body.querySelector(`${NAV}[tabindex="0"]`)) return;
  const first = body.querySelector<HTMLElement>(NAV);
  if (first) first.tabIndex = 0;
}
