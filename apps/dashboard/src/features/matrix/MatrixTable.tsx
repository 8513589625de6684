import type { MatrixRow, MatrixView } from '@parley/contracts';
import { memo, useEffect, useId, useMemo, useRef, type CSSProperties, type FocusEvent, type KeyboardEvent } from 'react';
import './matrix-edit.css';
import { CATEGORY_LABEL } from './categories';
import { ensureRover, gridTarget, rove } from './grid-keys';
import { MatrixCell, type EditCell } from './MatrixCell';
import { matrixTotals, pointCodeMap, summaryOf } from './summary';
import { SummaryIcon } from './SummaryIcon';

interface Props {
  view: MatrixView;
  /** Caption, e.g. "Positions as of 2025-11-21". */
  caption: string;
  /** Analyst mode: cells are buttons that open the stance form. Keep it stable (useCallback). */
  onEdit?: EditCell;
  /** When given, point titles are buttons that open the point's detail. Keep it stable (useCallback). */
  onOpenPoint?: (pointId: string) => void;
  /** When given, party names are buttons that open the party view. */
  onOpenParty?: (partyId: string) => void;
  /** False on the wall display: one column less, more room for the parties. */
  showCategory?: boolean;
}

interface RowProps {
  row: MatrixRow;
  parties: MatrixView['parties'];
  pointCodes: ReadonlyMap<string, string>;
  onEdit?: EditCell;
  onOpenPoint?: (pointId: string) => void;
  showCategory: boolean;
}

/** A body element reached with the arrow keys (see grid-keys). */
const NAV = { 'data-nav': '', tabIndex: -1 } as const;

/** One point's row. Memoized: a live update keeps the identity of every row it does not touch. */
const MatrixRowView = memo(function MatrixRowView({ row, parties, pointCodes, onEdit, onOpenPoint, showCategory }: RowProps) {
  const summary = summaryOf(row.summary);
  const pointName = `${row.number ?? row.point.code} ${row.point.title}`;
  return (
    <tr>
      <th scope="row" className="col-point" {...(onOpenPoint ? {} : NAV)}>
        <span className="point-head">
          <span className="point-code">{row.number ?? row.point.code}</span>
          {onOpenPoint ? (
            <button type="button" className="point-link point-title" onClick={() => onOpenPoint(row.point.id)} {...NAV}>
              {row.point.title}
            </button>
          ) : (
            <span className="point-title">{row.point.title}</span>
          )}
        </span>
      </th>
      {showCategory ? (
        <td className="col-category" {...NAV}>
          {CATEGORY_LABEL[row.point.category] ?? row.point.category}
        </td>
      ) : null}
      {parties.map((p) => (
        <MatrixCell
          key={p.id}
          stance={row.cells[p.id]?.stance ?? null}
          pointCodes={pointCodes}
          pointId={row.point.id}
          partyId={p.id}
          name={`${p.name} on ${pointName}`}
          onEdit={onEdit}
          navigable
        />
      ))}
      <td className={`col-summary summary--${summary.kind}`} title={summary.description} {...NAV}>
        <span className="cell__box">
          <SummaryIcon kind={summary.kind} />
          <span className="summary-text">{summary.text}</span>
        </span>
      </td>
    </tr>
  );
});

/** Points × parties table with a summary column and a totals line. */
export function MatrixTable({ view, caption, onEdit, onOpenPoint, onOpenParty, showCategory = true }: Props) {
  // Keyed on the codes, not the view: a live update makes a new view but must not make a new map
  // (every memoized cell would re-render).
  const codesKey = view.rows.map((r) => `${r.point.id}\u0000${r.point.code}`).join('\u0001');
  const pointCodes = useMemo(() => pointCodeMap(view), [codesKey]);
  const totals = matrixTotals(view.rows);
  const hintId = useId();
  const body = useRef<HTMLTableSectionElement>(null);
  // Runs after every render: rows come and go with filters and live updates.
  useEffect(() => {
    if (body.current) ensureRover(body.current);
  });

  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const from = e.target instanceof HTMLElement ? e.target.closest<HTMLElement>('[data-nav]') : null;
    if (!from || e.altKey || e.metaKey) return;
    const to = gridTarget(from, e.key, e.ctrlKey);
    if (!to) return;
    e.preventDefault();
    to.focus();
    to.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  };
  const onFocus = (e: FocusEvent<HTMLTableSectionElement>) => {
    const el = e.target instanceof HTMLElement ? e.target.closest<HTMLElement>('[data-nav]') : null;
    if (el && body.current) rove(body.current, el);
  };

  if (view.parties.length === 0 || view.rows.length === 0) {
    return (
      <p className="empty-state">
        {view.rows.length === 0 ? 'This negotiation has no points yet.' : 'This negotiation has no parties yet.'}
      </p>
    );
  }

  return (
    <>
      <div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
        {/* Fixed layout with set column widths: the browser sizes columns from the <col>s, not by
            measuring 10,000 cells, and a changed cell cannot resize its column. */}
        <table className="matrix" aria-describedby={hintId} style={{ '--party-count': view.parties.length, '--fixed-cols': showCategory ? 2 : 1 } as CSSProperties}>
          <caption>{caption}</caption>
          <colgroup>
            <col className="col-point" />
            {showCategory ? <col className="col-category" /> : null}
            {view.parties.map((p) => (
              <col key={p.id} className="col-party" />
            ))}
            <col className="col-summary" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col" className="col-point">
                Point
              </th>
              {showCategory ? (
                <th scope="col" className="col-category">
                  Category
                </th>
              ) : null}
              {view.parties.map((p) => (
                <th key={p.id} scope="col" className="col-party" title={p.code}>
                  <span className="swatch" style={{ backgroundColor: p.color }} aria-hidden="true" />
                  {onOpenParty ? (
                    <button type="button" className="party-link" onClick={() => onOpenParty(p.id)}>
                      {p.name}
                    </button>
                  ) : (
                    p.name
                  )}
                </th>
              ))}
              <th scope="col" className="col-summary">
                Summary
              </th>
            </tr>
          </thead>
          <tbody ref={body} onKeyDown={onKeyDown} onFocus={onFocus}>
            {view.rows.map((row) => (
              <MatrixRowView
                key={row.point.id}
                row={row}
                parties={view.parties}
                pointCodes={pointCodes}
                onEdit={onEdit}
                onOpenPoint={onOpenPoint}
                showCategory={showCategory}
              />
            ))}
          </tbody>
        </table>
      </div>
      <p id={hintId} className="visually-hidden">
        Arrow keys move between cells; Home and End go to the start and end of a row.
      </p>
      <p className="totals" data-testid="matrix-totals">
        Agreed <strong>{totals.agreed}</strong> of {totals.points} points · Blocked <strong>{totals.blocked}</strong>
      </p>
    </>
  );
}
