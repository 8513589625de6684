/**
 * jsdom has no ResizeObserver and no layout. recharts' ResponsiveContainer needs both: this polyfill
 * reports a fixed 800×400 box for every observed element, so charts render at a known size.
 * Import it at the top of a spec that renders a chart.
 */
class FixedSizeResizeObserver implements ResizeObserver {
  constructor(private readonly callback: ResizeObserverCallback) {}

  observe(target: Element): void {
    const contentRect = { width: 800, height: 400, top: 0, left: 0, bottom: 400, right: 800, x: 0, y: 0, toJSON: () => ({}) };
    const entry = { target, contentRect, borderBoxSize: [], contentBoxSize: [], devicePixelContentBoxSize: [] } as unknown as ResizeObserverEntry;
    this.callback([entry], this);
  }

  unobserve(): void {
    // Sizes never change in jsdom: nothing to stop.
  }

  disconnect(): void {
    // As above.
  }
}

globalThis.ResizeObserver ??= FixedSizeResizeObserver;
