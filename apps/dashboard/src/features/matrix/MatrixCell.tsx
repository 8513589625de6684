import { POSITION_LABEL, type Corroboration, type StanceEvent } from '@parley/contracts';
import { memo } from 'react';
import { useCellFlash } from '../live/flash-store';
import { usePendingText } from '../review/pending';
import { conditionsText, corroborationText, formatEffective, scheduledText, sourceText } from '../../shared/cell-format';
import { POSITION_SWATCH } from '../../shared/palette';

/** Opens the stance form for a cell (analyst mode). */
export type EditCell = (pointId: string, partyId: string) => void;

interface Props {
  /** The stance in force, or null: the party has stated no position on the point. */
  stance: StanceEvent | null;
  /** Who supports that stance; absent where a view has no matrix cell (a party's own page). */
  corroboration?: Corroboration;
  /** Point id → code, to name the points a condition depends on. */
  pointCodes?: ReadonlyMap<string, string>;
  pointId?: string;
  partyId?: string;
  /** "Russia on p06 Cap on Ukraine's armed forces": the cell's name before its value. */
  name?: string;
  /** Given in analyst mode: the cell becomes a button that opens the stance form. */
  onEdit?: EditCell;
  /** Part of the matrix's keyboard grid (see grid-keys): focusable by the arrow keys. */
  navigable?: boolean;
  /** The stance was recorded after the viewer's last visit: marked with a dot and named so. */
  changedSinceVisit?: boolean;
}

/** Said after the cell's value to screen readers, and shown as the marker's tooltip. */
export const CHANGED_SINCE_VISIT = 'changed since your last visit';

/**
 * One (party, point) cell: the position as a colour and a text label, with a marker for conditions.
 * Memoized: a live update replaces one cell object in the cached matrix, and only that cell re-renders.
 * The content sits in a `.cell__box` of fixed size with CSS containment, so the browser lays out only
 * that box again when the label changes, not the whole table.
 */
export const MatrixCell = memo(function MatrixCell({ stance, corroboration, pointCodes, pointId = '', partyId = '', name, onEdit, navigable = false, changedSinceVisit = false }: Props) {
  const flash = useCellFlash(pointId, partyId);
  // Staff only (review before publish): proposals waiting on this cell.
  const pending = usePendingText(pointId, partyId);
  const pendingMark = pending ? (
    <span className="cell__pending" data-pending="">
      <span className="visually-hidden">, </span>
      {pending}
    </span>
  ) : null;
  // Two identical animations, alternated, so a second change within the highlight time restarts it.
  // cell--button (analyst mode) rather than a :has() rule, which makes every class change costlier to restyle.
  const extraClass = (flash ? ` cell--flash cell--flash-${flash % 2}` : '') + (onEdit ? ' cell--button' : '');
  const support = stance && corroboration ? corroborationText(corroboration) : null;
  // Named only when corroborated (the mark's meaning); every other count is in the tooltip.
  const value = (stance ? POSITION_LABEL[stance.position] : 'No stated position') + (corroboration?.corroborated ? `, ${support}` : '') + (changedSinceVisit ? `, ${CHANGED_SINCE_VISIT}` : '') + (pending ? `, ${pending}` : '');
  // In the grid, the button (analyst) or else the cell itself takes the focus.
  const nav = navigable ? ({ 'data-nav': '', tabIndex: -1 } as const) : {};
  const cellNav = navigable && !onEdit ? nav : {};
  const wrap = (content: React.ReactNode) =>
    onEdit ? (
      <button
        type="button"
        className="cell__button"
        {...nav}
        aria-label={name ? `${name}: ${value}` : value}
        onClick={() => onEdit(pointId, partyId)}
      >
        {content}
      </button>
    ) : (
      content
    );

  if (!stance) {
    return (
      <td {...cellNav} className={`cell cell--empty${extraClass}`} data-position="none" data-point={pointId || undefined} data-party={partyId || undefined} title="No stated position">
        {wrap(
          <span className="cell__box">
            <span aria-hidden="true" className="cell__none">
              —
            </span>
            <span className="visually-hidden">No stated position</span>
            {pendingMark}
          </span>,
        )}
      </td>
    );
  }

  const label = POSITION_LABEL[stance.position];
  const conditions = conditionsText(stance, pointCodes);
  const source = sourceText(stance);
  const scheduled = scheduledText(stance);
  const details = [
    `${label} (${stance.confidence}) ${scheduled ?? `since ${formatEffective(stance)}`}`,
    conditions ? `Condition: ${conditions}` : null,
    source ? `Source: ${source}` : null,
    support ? `Support: ${support}` : null,
  ]
    .filter(Boolean)
    .join('\n');

  return (
    <td
      {...cellNav}
      className={`cell cell--${stance.position}${extraClass}`}
      data-position={stance.position}
      data-point={pointId || undefined}
      data-party={partyId || undefined}
      data-changed={changedSinceVisit ? 'since-visit' : undefined}
      data-scheduled={scheduled ? '' : undefined}
      data-corroborated={corroboration?.corroborated ? '' : undefined}
      style={POSITION_SWATCH[stance.position]}
      title={changedSinceVisit ? `${details}\nChanged since your last visit` : details}
    >
      {wrap(
        <span className="cell__box">
          <span className="cell__label">{label}</span>
          {conditions ? (
            <span className="cell__cond" title={`Condition: ${conditions}`}>
              <span aria-hidden="true">*</span>
              <span className="visually-hidden">, condition: {conditions}</span>
            </span>
          ) : null}
          {corroboration?.corroborated ? (
            <span className="cell__corr" title={`Corroborated by ${corroboration.outlets} independent outlets`}>
              <span aria-hidden="true">✓{corroboration.outlets}</span>
              <span className="visually-hidden">, {support}</span>
            </span>
          ) : null}
          {stance.confidence !== 'official' ? <span className="cell__conf">{stance.confidence}</span> : null}
          {scheduled ? (
            <span className="cell__sched">
              <span className="visually-hidden">, </span>
              {scheduled}
            </span>
          ) : null}
          {changedSinceVisit ? (
            <span className="cell__new" title="Changed since your last visit">
              <span className="visually-hidden">, {CHANGED_SINCE_VISIT}</span>
            </span>
          ) : null}
          {pendingMark}
        </span>,
      )}
    </td>
  );
});
