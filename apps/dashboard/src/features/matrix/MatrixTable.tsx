import type { MatrixView, PointCategory } from '@parley/contracts';
import { useMemo } from 'react';
import { MatrixCell } from './MatrixCell';
import { matrixTotals, pointCodeMap, summaryOf } from './summary';

const CATEGORY_LABEL: Readonly<Record<PointCategory, string>> = {
  territory: 'Territory',
  security_guarantees: 'Security guarantees',
  military: 'Military',
  sanctions: 'Sanctions',
  economy: 'Economy',
  humanitarian: 'Humanitarian',
  political: 'Political',
  legal: 'Legal',
};

const SUMMARY_ICON = { agreed: '✓', blocked: '⛔', spread: '↔', none: '' } as const;

interface Props {
  view: MatrixView;
  /** Caption, e.g. "Positions as of 2025-11-21". */
  caption: string;
}

/** Points × parties table with a summary column and a totals line. */
export function MatrixTable({ view, caption }: Props) {
  const pointCodes = useMemo(() => pointCodeMap(view), [view]);
  const totals = matrixTotals(view.rows);

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
        <table className="matrix">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col" className="col-point">
                Point
              </th>
              <th scope="col" className="col-category">
                Category
              </th>
              {view.parties.map((p) => (
                <th key={p.id} scope="col" className="col-party" title={p.code}>
                  <span className="swatch" style={{ backgroundColor: p.color }} aria-hidden="true" />
                  {p.name}
                </th>
              ))}
              <th scope="col" className="col-summary">
                Summary
              </th>
            </tr>
          </thead>
          <tbody>
            {view.rows.map((row) => {
              const summary = summaryOf(row.summary);
              return (
                <tr key={row.point.id}>
                  <th scope="row" className="col-point">
                    <span className="point-code">{row.number ?? row.point.code}</span>
                    <span className="point-title">{row.point.title}</span>
                  </th>
                  <td className="col-category">{CATEGORY_LABEL[row.point.category] ?? row.point.category}</td>
                  {view.parties.map((p) => (
                    <MatrixCell key={p.id} stance={row.cells[p.id]?.stance ?? null} pointCodes={pointCodes} />
                  ))}
                  <td className={`col-summary summary--${summary.kind}`} title={summary.description}>
                    {SUMMARY_ICON[summary.kind] ? (
                      <span aria-hidden="true" className="summary-icon">
                        {SUMMARY_ICON[summary.kind]}
                      </span>
                    ) : null}
                    {summary.text}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="totals" data-testid="matrix-totals">
        Agreed <strong>{totals.agreed}</strong> of {totals.points} points · Blocked <strong>{totals.blocked}</strong>
      </p>
    </>
  );
}
