import { POSITION_LABEL, type StanceEvent } from '@parley/contracts';
import { conditionsText, formatEffective, sourceText } from './cell-format';
import { POSITION_SWATCH } from './palette';

interface Props {
  /** The stance in force, or null: the party has stated no position on the point. */
  stance: StanceEvent | null;
  /** Point id → code, to name the points a condition depends on. */
  pointCodes?: ReadonlyMap<string, string>;
}

/** One (party, point) cell: the position as a colour and a text label, with a marker for conditions. */
export function MatrixCell({ stance, pointCodes }: Props) {
  if (!stance) {
    return (
      <td className="cell cell--empty" data-position="none" title="No stated position">
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">No stated position</span>
      </td>
    );
  }

  const label = POSITION_LABEL[stance.position];
  const conditions = conditionsText(stance, pointCodes);
  const source = sourceText(stance);
  const details = [
    `${label} (${stance.confidence}) since ${formatEffective(stance)}`,
    conditions ? `Condition: ${conditions}` : null,
    source ? `Source: ${source}` : null,
  ]
    .filter(Boolean)
    .join('\n');

  return (
    <td
      className={`cell cell--${stance.position}`}
      data-position={stance.position}
      style={POSITION_SWATCH[stance.position]}
      title={details}
    >
      <span className="cell__label">{label}</span>
      {conditions ? (
        <span className="cell__cond" title={`Condition: ${conditions}`}>
          <span aria-hidden="true">*</span>
          <span className="visually-hidden">, condition: {conditions}</span>
        </span>
      ) : null}
      {stance.confidence !== 'official' ? <span className="cell__conf">{stance.confidence}</span> : null}
    </td>
  );
}
