import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';

/** How long a cell changed by a live update stays highlighted (matches the CSS animation). */
export const FLASH_MS = 2_000;

/**
 * Which cells changed a moment ago. Each cell subscribes for its own key, so marking one cell
 * re-renders that cell only, not its row or the matrix.
 */
export class CellFlashStore {
  private readonly flashing = new Map<string, { timer: ReturnType<typeof setTimeout>; token: number }>();
  private counter = 0;
  private readonly listeners = new Set<() => void>();

  static key(pointId: string, partyId: string): string {
    return `${pointId}|${partyId}`;
  }

  mark(pointId: string, partyId: string): void {
    const key = CellFlashStore.key(pointId, partyId);
    const previous = this.flashing.get(key);
    if (previous) clearTimeout(previous.timer);
    this.counter += 1;
    const timer = setTimeout(() => {
      this.flashing.delete(key);
      this.notify();
    }, FLASH_MS);
    this.flashing.set(key, { timer, token: this.counter });
    this.notify();
  }

  /** 0 when the cell is not highlighted; otherwise a number that changes with every new mark. */
  flashToken(key: string): number {
    return this.flashing.get(key)?.token ?? 0;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  clear(): void {
    for (const { timer } of this.flashing.values()) clearTimeout(timer);
    this.flashing.clear();
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

export const CellFlashContext = createContext<CellFlashStore>(new CellFlashStore());

/**
 * Non-zero while the (point, party) cell is highlighted after a live change. The value changes with each
 * change, so a cell can restart its animation when it changes again within the highlight time.
 */
export function useCellFlash(pointId: string, partyId: string): number {
  const store = useContext(CellFlashContext);
  const key = CellFlashStore.key(pointId, partyId);
  const get = useCallback(() => store.flashToken(key), [store, key]);
  return useSyncExternalStore(store.subscribe, get, () => 0);
}
