import { useEffect, type RefObject } from 'react';

/** Wall display: pause at the top, scroll slowly to the end, pause there, jump back to the top. */
export const AUTO_SCROLL = {
  /** px per second while scrolling. */
  speed: 24,
  /** ms at the top before scrolling starts. */
  startPause: 6_000,
  /** ms at the end before going back to the top. */
  endPause: 10_000,
  /** With reduced motion: ms between page turns (a screenful at once, no animation). */
  pageEvery: 12_000,
} as const;

export interface AutoScrollState {
  phase: 'start' | 'scrolling' | 'end';
  /** ms spent in the phase (for the pauses and the page turns). */
  waited: number;
  /** Scroll position in px (fractional while scrolling smoothly). */
  top: number;
}

export interface ScrollBox {
  /** Largest scroll position (scrollHeight − clientHeight). */
  max: number;
  /** Height of one screenful (clientHeight). */
  page: number;
  /** The viewer prefers reduced motion: turn pages instead of moving continuously. */
  reduced: boolean;
}

export const AUTO_SCROLL_START: AutoScrollState = { phase: 'start', waited: 0, top: 0 };

/** The state `dt` ms later. Pure, so the cycle is testable without timers. */
export function autoScrollStep(s: AutoScrollState, dt: number, box: ScrollBox): AutoScrollState {
  if (box.max <= 0) return AUTO_SCROLL_START; // everything fits: nothing to scroll
  const waited = s.waited + dt;
  switch (s.phase) {
    case 'start':
      return waited >= AUTO_SCROLL.startPause ? { phase: 'scrolling', waited: 0, top: 0 } : { ...s, waited, top: 0 };
    case 'scrolling': {
      let top = s.top;
      let next = waited;
      if (box.reduced) {
        if (waited >= AUTO_SCROLL.pageEvery) {
          // Keep a line of the previous screen, so the eye finds its place.
          top = Math.min(box.max, top + Math.max(1, box.page - 40));
          next = 0;
        }
      } else {
        top = Math.min(box.max, top + (AUTO_SCROLL.speed * dt) / 1000);
      }
      return top >= box.max ? { phase: 'end', waited: 0, top: box.max } : { phase: 'scrolling', waited: next, top };
    }
    case 'end':
      return waited >= AUTO_SCROLL.endPause ? { phase: 'start', waited: 0, top: 0 } : { ...s, waited, top: box.max };
  }
}

/**
 * Scrolls `ref`'s box by itself while `enabled` (the wall display), when its content is taller than
 * the box. Continuous and slow; page by page, without animation, for viewers who prefer reduced motion.
 */
export function useAutoScroll(ref: RefObject<HTMLElement | null>, enabled: boolean): void {
  useEffect(() => {
    const el = ref.current;
    if (!enabled || !el || typeof window.requestAnimationFrame !== 'function') return;
    const motion = window.matchMedia?.('(prefers-reduced-motion: reduce)');
    let state = AUTO_SCROLL_START;
    let last = performance.now();
    let frame = 0;
    const tick = (now: number) => {
      const dt = Math.min(1_000, Math.max(0, now - last)); // a hidden tab resumes where it was
      last = now;
      state = autoScrollStep(state, dt, { max: el.scrollHeight - el.clientHeight, page: el.clientHeight, reduced: motion?.matches ?? false });
      const top = Math.round(state.top);
      if (el.scrollTop !== top) el.scrollTop = top;
      frame = window.requestAnimationFrame(tick);
    };
    frame = window.requestAnimationFrame(tick);
    return () => window.cancelAnimationFrame(frame);
  }, [ref, enabled]);
}
