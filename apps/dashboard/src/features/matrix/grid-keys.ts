/**
 * Keyboard movement across the matrix body with a roving tabindex: one element of the grid is in the
 * tab order (tabindex 0), the others are reached with the arrow keys, Home/End (within a row) and
 * Ctrl+Home/End (first/last cell). Every navigable element carries `data-nav`. The tabindex is moved
 * on the DOM directly, so moving focus re-renders nothing (the cells are memoized).
 */
const NAV = '[data-nav]';

function rowItems(row: Element | null): HTMLElement[] {
  return row ? [...row.querySelectorAll<HTMLElement>(NAV)] : [];
}

/** The element to move to for a key, or null when the key is not a grid key (or there is nowhere to go). */
export function gridTarget(from: HTMLElement, key: string, ctrl: boolean): HTMLElement | null {
  const row = from.closest('tr');
  const body = row?.parentElement;
  if (!row || !body) return null;
  const items = rowItems(row);
  const col = items.indexOf(from);
  const rows = [...body.children];
  const r = rows.indexOf(row);
  const inRow = (tr: Element | undefined, index: number) => {
    const list = rowItems(tr ?? null);
    return list[Math.min(index, list.length - 1)] ?? null;
  };
  switch (key) {
    case 'ArrowRight':
      return items[col + 1] ?? null;
    case 'ArrowLeft':
      return col > 0 ? (items[col - 1] ?? null) : null;
    case 'ArrowDown':
      return inRow(rows[r + 1], col);
    case 'ArrowUp':
      return r > 0 ? inRow(rows[r - 1], col) : null;
    case 'Home':
      return ctrl ? inRow(rows[0], 0) : (items[0] ?? null);
    case 'End':
      return ctrl ? inRow(rows[rows.length - 1], Number.MAX_SAFE_INTEGER) : (items[items.length - 1] ?? null);
    default:
      return null;
  }
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
