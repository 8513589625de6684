import type { MatrixView, Party } from '@parley/contracts';
import { useId, useMemo } from 'react';
import { conditionsText, formatEffective, sourceText } from '../../shared/cell-format';
import { MatrixCell } from '../matrix/MatrixCell';
import { pointCodeMap } from '../matrix/summary';
import { partyPositions } from './party-order';

interface Props {
  view: MatrixView;
  partyId: string;
  /** The full party record, for its actors (may still be loading). */
  party: Party | undefined;
  caption: string;
  onSelectParty: (partyId: string) => void;
  onOpenPoint?: (pointId: string) => void;
}

/** One party's positions across all points, red lines first, with the people who speak for it. */
export function PartyView({ view, partyId, party, caption, onSelectParty, onOpenPoint }: Props) {
  const selectId = useId();
  const pointCodes = useMemo(() => pointCodeMap(view), [view]);
  const positions = useMemo(() => partyPositions(view.rows, partyId), [view.rows, partyId]);
  const summary = view.parties.find((p) => p.id === partyId);
  if (!summary) return <p className="empty-state">This negotiation has no such party.</p>;
  const counts = positions.reduce<Record<string, number>>((acc, p) => {
    const k = p.stance?.position ?? 'none';
    acc[k] = (acc[k] ?? 0) + 1;
    return acc;
  }, {});

  return (
    <section className="party-view" aria-labelledby={`${selectId}-h`}>
      <div className="field">
        <label htmlFor={selectId}>Party</label>
        <select id={selectId} value={partyId} onChange={(e) => onSelectParty(e.target.value)}>
          {view.parties.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <h3 id={`${selectId}-h`}>
        <span className="swatch" style={{ backgroundColor: summary.color }} aria-hidden="true" />
        {summary.name}
      </h3>
      {party?.description ? <p>{party.description}</p> : null}
      <p className="hint" data-testid="party-counts">
        Red lines {counts['red_line'] ?? 0} · Reject {counts['reject'] ?? 0} · Accept {counts['accept'] ?? 0} · No
        position {counts['none'] ?? 0}
      </p>
      <h4>Actors</h4>
      {party && party.actors.length > 0 ? (
        <ul className="actors">
          {party.actors.map((a) => (
            <li key={a.id}>
              <strong>{a.name}</strong>
              {a.role ? `, ${a.role}` : ''}
              {a.retired ? ' (no longer speaks for the party)' : ''}
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty-state">{party ? 'No actors recorded.' : 'Loading actors…'}</p>
      )}
      <div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
        <table className="matrix party-table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col" className="col-point">
                Point
              </th>
              <th scope="col">Position</th>
              <th scope="col">Since</th>
              <th scope="col">Conditions and source</th>
            </tr>
          </thead>
          <tbody>
            {positions.map(({ row, stance }) => (
              <tr key={row.point.id}>
                <th scope="row" className="col-point">
                  <span className="point-code">{row.number ?? row.point.code}</span>
                  {onOpenPoint ? (
                    <button type="button" className="point-link" onClick={() => onOpenPoint(row.point.id)}>
                      {row.point.title}
                    </button>
                  ) : (
                    <span className="point-title">{row.point.title}</span>
                  )}
                </th>
                <MatrixCell stance={stance} pointCodes={pointCodes} />
                <td>{stance ? formatEffective(stance) : ''}</td>
                <td>
                  {stance ? [conditionsText(stance, pointCodes), sourceText(stance)].filter(Boolean).join(' · ') : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
