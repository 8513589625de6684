import { defaultRangeExtractor, useVirtualizer, type Range, type VirtualItem, type Virtualizer } from '@tanstack/react-virtual';
import { useCallback, useLayoutEffect, useState, type RefObject } from 'react';

/**
 * Above this many rows the matrix renders only the rows on and near the screen. Below it, every row
 * is rendered: the demo's 31 points cost nothing, and "find in page" and printing see every row.
 */
export const VIRTUALIZE_ABOVE = 80;
/** A first guess of a row's height in px (one line of cells); rows are measured once rendered. */
const ROW_ESTIMATE = 30;
/** Rows rendered beyond each edge of the screen, so a quick scroll shows no blank rows. */
const OVERSCAN = 8;

export interface RowWindow {
  /** The rows to render, in order; null: render every row. */
  items: VirtualItem[] | null;
  /** Heights of the blank space before the first rendered row and after the last one, in px. */
  before: number;
  after: number;
  /** Rendered, non-adjacent rows leave a gap: its height before row `index`. */
  gapBefore: (index: number) => number;
  /** Ref for each rendered <tr> (with `data-index`): measures its real height. */
  measure: ((el: HTMLElement | null) => void) | undefined;
  /** Brings row `index` on screen (it is rendered at once when it is `pinned`). */
  scrollTo: (index: number) => void;
}

interface Options {
  count: number;
  getKey: (index: number) => string;
  scroller: RefObject<HTMLElement | null>;
  body: RefObject<HTMLElement | null>;
  /** A row to render wherever the screen is: the one with the keyboard focus. */
  pinned: number | null;
}

/**
 * Row windowing for the matrix table with @tanstack/react-virtual. A <table> cannot position its rows
 * absolutely without losing its column layout, so the rows stay in flow and two spacer rows stand
 * for the rows not rendered. The row with the keyboard focus is always rendered, so focus is never
 * lost to a scroll, and moving to a far row renders it before focusing it.
 */
export function useRowWindow({ count, getKey, scroller, body, pinned }: Options): RowWindow {
  const enabled = count > VIRTUALIZE_ABOVE;
  // The caption and the header row sit above the first row inside the scrolled box.
  const [margin, setMargin] = useState(0);
  useLayoutEffect(() => {
    const box = scroller.current;
    const tbody = body.current;
    if (!enabled || !box || !tbody) return;
    const top = Math.round(tbody.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop);
    setMargin((m) => (m === top ? m : top));
  });
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (pinned === null || pinned >= range.count || indexes.includes(pinned)) return indexes;
      return [...indexes, pinned].sort((a, b) => a - b);
    },
    [pinned],
  );
  const virtualizer: Virtualizer<HTMLElement, HTMLElement> = useVirtualizer({
    count,
    enabled,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_ESTIMATE,
    getItemKey: getKey,
    overscan: OVERSCAN,
    scrollMargin: margin,
    rangeExtractor,
  });

  if (!enabled) {
    return { items: null, before: 0, after: 0, gapBefore: () => 0, measure: undefined, scrollTo: () => undefined };
  }
  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items.at(-1);
  const ends = new Map(items.map((item, i) => [item.index, i > 0 ? item.start - (items[i - 1]?.end ?? item.start) : 0]));
  return {
    items,
    before: first ? first.start - margin : 0,
    after: last ? Math.max(0, virtualizer.getTotalSize() + margin - last.end) : virtualizer.getTotalSize(),
    gapBefore: (index) => ends.get(index) ?? 0,
    measure: virtualizer.measureElement,
    scrollTo: (index) => virtualizer.scrollToIndex(index, { align: 'auto' }),
  };
}
