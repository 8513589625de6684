import { POSITION_LABEL, POSITIONS } from '@parley/contracts';
import { POSITION_SWATCH } from '../../shared/palette';

/**
 * Key to the cell colours, including the look of a cell with no stated position and the marker of a
 * change since the last visit. Folded into a "Key" that opens over the page: every cell already
 * says its position in words, so the key need not take a line of the screen.
 */
export function Legend() {
  return (
    <details className="legend-box">
      <summary>Key</summary>
      <ul className="legend" aria-label="Legend">
        {POSITIONS.map((p) => (
          <li key={p}>
            <span className="legend__chip" style={POSITION_SWATCH[p]}>
              {POSITION_LABEL[p]}
            </span>
          </li>
        ))}
        <li>
          <span className="legend__chip cell--empty">— no position</span>
        </li>
        <li>
          <span className="legend__note">* has conditions (hover for the text)</span>
        </li>
        <li className="legend__new">
          <span className="since-visit__dot" aria-hidden="true" />
          <span className="legend__note">changed since your last visit</span>
        </li>
      </ul>
    </details>
  );
}
