import { POSITION_LABEL, POSITIONS } from '@parley/contracts';
import { POSITION_SWATCH } from './palette';

/** Key to the cell colours, including the look of a cell with no stated position. */
export function Legend() {
  return (
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
    </ul>
  );
}
