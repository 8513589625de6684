import { useEffect } from 'react';

/** Puts `screen-big` on <html> in wall-display mode, so the stylesheet can hide controls and enlarge the matrix. */
export function useScreenMode(screen: 'big' | null): void {
  useEffect(() => {
    const root = document.documentElement;
    root.classList.toggle('screen-big', screen === 'big');
    return () => root.classList.remove('screen-big');
  }, [screen]);
}
