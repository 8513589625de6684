/**
 * jsdom lays nothing out (every size is 0). For the windowed matrix, give the scrolled box the height
 * of a screen and each row a line's height, as a browser would. Returns a function that undoes it.
 */
export function fakeMatrixLayout(screen = 600, rowHeight = 30): () => void {
  const names = ['clientHeight', 'offsetHeight'] as const;
  const saved = names.map((name) => [name, Object.getOwnPropertyDescriptor(HTMLElement.prototype, name)] as const);
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('table-scroll') ? screen : 0;
    },
  });
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.matches('tr[data-row]') ? rowHeight : 0;
    },
  });
  return () => {
    for (const [name, descriptor] of saved) if (descriptor) Object.defineProperty(HTMLElement.prototype, name, descriptor);
  };
}
