import type { Proposal, Source, StanceEvent } from '@parley/contracts';
import { POSITION_LABEL } from '@parley/contracts';
import { compareStance, sourceLine } from './queue';

interface Props {
  proposal: Proposal;
  /** The cell's stance to compare with (now, or the new version of a conflict); null: none stated. */
  current: StanceEvent | null;
  sources?: ReadonlyMap<string, Source>;
  pointCodes?: ReadonlyMap<string, string>;
  currentLabel: string;
}

/** A proposal beside the cell's stance: each field before and after, the changed ones marked (not by colour alone). */
export function ProposalCompare({ proposal, current, sources, pointCodes, currentLabel }: Props) {
  if (proposal.kind === 'retraction' || !proposal.stance) {
    const retracted = current && current.id === proposal.retraction?.eventId ? current : null;
    return (
      <div className="review__compare">
        <p>
          <strong>Retract</strong>{' '}
          {retracted
            ? `the stance in force: ${POSITION_LABEL[retracted.position]} since ${retracted.effectiveAt.slice(0, 10)}${retracted.quote ? ` — “${retracted.quote}”` : ''} (source: ${sourceLine(retracted.source, sources)})`
            : `stance event ${proposal.retraction?.eventId ?? ''} (not the one in force now)`}
        </p>
        <p>
          <strong>Reason:</strong> {proposal.retraction?.reason}
        </p>
      </div>
    );
  }
  const rows = compareStance(current, proposal.stance, { sources, pointCodes });
  return (
    <table className="review__compare" aria-label="What the proposal changes">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">{currentLabel}</th>
          <th scope="col">Proposed</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.field} data-changed={r.changed ? '' : undefined} className={r.changed ? 'review__changed' : undefined}>
            <th scope="row">
              {r.field}
              {r.changed ? <span className="review__changed-mark"> (changed)</span> : null}
            </th>
            <td>{r.before}</td>
            <td>{r.after}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
