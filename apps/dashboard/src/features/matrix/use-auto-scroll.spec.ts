import { AUTO_SCROLL, AUTO_SCROLL_START, autoScrollStep, type AutoScrollState, type ScrollBox } from './use-auto-scroll';

/** Runs the cycle for `ms` in frames of `frame` ms. */
function run(state: AutoScrollState, ms: number, box: ScrollBox, frame = 16): AutoScrollState {
  let s = state;
  for (let t = 0; t < ms; t += frame) s = autoScrollStep(s, frame, box);
  return s;
}

describe('wall-display auto-scroll', () => {
  const box: ScrollBox = { max: 1_000, page: 500, reduced: false };

  it('waits at the top, scrolls slowly to the end, pauses there and starts again from the top', () => {
    let s = run(AUTO_SCROLL_START, AUTO_SCROLL.startPause - 100, box);
    expect(s).toMatchObject({ phase: 'start', top: 0 });
    s = run(s, 200, box);
    expect(s.phase).toBe('scrolling');
    s = run(s, 10_000, box);
    // slow: about `speed` px a second
    expect(s.top).toBeGreaterThan(AUTO_SCROLL.speed * 9);
    expect(s.top).toBeLessThan(AUTO_SCROLL.speed * 11);
    s = run(s, ((1_000 - s.top) / AUTO_SCROLL.speed) * 1_000 + 100, box);
    expect(s).toMatchObject({ phase: 'end', top: 1_000 });
    s = run(s, AUTO_SCROLL.endPause - 300, box);
    expect(s).toMatchObject({ phase: 'end', top: 1_000 });
    s = run(s, 400, box);
    expect(s).toMatchObject({ phase: 'start', top: 0 });
  });

  it('turns whole pages without animation when the viewer prefers reduced motion', () => {
    const reduced = { ...box, reduced: true };
    let s = run(AUTO_SCROLL_START, AUTO_SCROLL.startPause + 16, reduced);
    s = run(s, AUTO_SCROLL.pageEvery - 100, reduced);
    expect(s.top).toBe(0);
    s = run(s, 200, reduced);
    expect(s.top).toBe(460);
    s = run(s, AUTO_SCROLL.pageEvery * 2, reduced);
    expect(s).toMatchObject({ phase: 'end', top: 1_000 });
  });

  it('does nothing when every row fits on the screen', () => {
    const s = run(AUTO_SCROLL_START, 60_000, { max: 0, page: 700, reduced: false });
    expect(s).toEqual(AUTO_SCROLL_START);
  });
});
