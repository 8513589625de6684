import { POSITION_LABEL, POSITIONS, type Position } from '@parley/contracts';

/**
 * The stance form's keyboard: digits choose the position, letters jump to a part of the form, `?`
 * lists them; Enter saves from any one-line field or choice, Ctrl+Enter from anywhere (a text area
 * too), Esc closes. Digits, letters and `?` act only while the focus is not in a field that takes
 * typing (text, date, a select's type-ahead), so they never eat what is typed.
 */

/** Letter → the part of the form it moves to; the element carries `data-key="<letter>"`. */
export const JUMPS: readonly [key: string, what: string][] = [
  ['e', 'effective date'],
  ['f', 'confidence'],
  ['a', 'actor'],
  ['s', 'source (its search, or the new source’s outlet)'],
  ['q', 'quote'],
  ['c', 'conditions'],
  ['p', 'points the conditions depend on'],
  ['d', 'document (plan version)'],
  ['m', 'milestone'],
  ['n', 'note'],
  ['r', 'reason (when correcting a stance)'],
];

/** Every key, as the help lists it. */
export const SHORTCUTS: readonly [keys: string[], what: string][] = [
  [POSITIONS.map((_, i) => String(i + 1)), `position: ${POSITIONS.map((p, i) => `${i + 1} ${POSITION_LABEL[p]}`).join(', ')}`],
  ...JUMPS.map(([k, what]): [string[], string] => [[k], `go to ${what}`]),
  [['Tab', 'Shift+Tab'], 'next / previous field'],
  [['Enter'], 'save (from a one-line field, a choice or a box; in a search box: pick the only match)'],
  [['Ctrl+Enter'], 'save from anywhere, a text area too'],
  [['Esc'], 'cancel (close the form); in this list: close the list'],
  [['?'], 'this list'],
];

const TYPING_INPUTS = new Set(['text', 'search', 'url', 'email', 'tel', 'number', 'password', 'date', 'datetime-local', 'time', 'month', 'week']);

/** Whether the element takes typed characters (a shortcut there would eat them). */
export function takesTyping(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return TYPING_INPUTS.has(el.type);
  return el instanceof HTMLElement && el.isContentEditable;
}

/** Whether Enter on the element saves the form: not in a text area (a new line) nor on a button or a link (they act themselves). */
export function enterSaves(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLButtonElement || el instanceof HTMLAnchorElement) return false;
  return el instanceof HTMLInputElement || el instanceof HTMLSelectElement;
}

/** The position a digit key chooses ("1" → accept … "6" → red line), or null. */
export function positionOfKey(key: string): Position | null {
  if (!/^[1-9]$/.test(key)) return null;
  return POSITIONS[Number(key) - 1] ?? null;
}
