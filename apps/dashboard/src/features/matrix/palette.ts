import type { Position } from '@parley/contracts';

export interface Swatch {
  background: string;
  color: string;
}

/**
 * Position colours: a blue–grey–orange/red diverging scale (after ColorBrewer RdBu/PuOr) that stays
 * distinguishable with deuteranopia and protanopia, since the two ends differ on the blue–yellow axis
 * and neighbours differ in lightness. Colour is never the only cue: every cell also shows its label.
 * Text colours give at least 4.5:1 contrast (WCAG AA) on their background.
 */
export const POSITION_SWATCH: Readonly<Record<Position, Swatch>> = {
  accept: { background: '#2166ac', color: '#ffffff' },
  conditional: { background: '#67a9cf', color: '#0b2239' },
  amend: { background: '#c9c9c9', color: '#1a1a1a' },
  unclear: { background: '#ececec', color: '#333333' },
  reject: { background: '#f4a259', color: '#2b1600' },
  red_line: { background: '#b2182b', color: '#ffffff' },
};
