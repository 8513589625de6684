import type { MatrixRow, MatrixView } from '@parley/contracts';
import { Fragment, memo, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type FocusEvent, type KeyboardEvent } from 'react';
import './matrix-edit.css';
import { useAutoScroll } from './use-auto-scroll';
import { CATEGORY_LABEL } from '../../shared/categories';
import { ensureRover, gridElement, gridMove, gridPos, rove, type GridPos } from './grid-keys';
import { MatrixCell, type EditCell } from './MatrixCell';
import { matrixTotals, pointCodeMap, summaryOf } from './summary';
import { SummaryIcon } from './SummaryIcon';
import { useRowWindow } from './use-row-window';

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
  /** Sequence number seen on the viewer's last visit: cells whose stance was recorded after it are marked. */
  lastSeen?: number | null;
  /** Wall display: scroll the rows slowly by themselves when they do not fit. */
  autoScroll?: boolean;
}

interface RowProps {
  row: MatrixRow;
  /** Index among all the rows (rendered or not): `data-row` for the keyboard, `aria-rowindex` for screen readers. */
  index: number;
  /** Measures the row's height (windowed rendering); stable. */
  measure?: (el: HTMLElement | null) => void;
  lastSeen: number | null;
  parties: MatrixView['parties'];
  pointCodes: ReadonlyMap<string, string>;
  onEdit?: EditCell;
  onOpenPoint?: (pointId: string) => void;
  showCategory: boolean;
}

/** A body element reached with the arrow keys (see grid-keys). */
const NAV = { 'data-nav': '', tabIndex: -1 } as const;

/** One point's row. Memoized: a live update keeps the identity of every row it does not touch. */
const MatrixRowView = memo(function MatrixRowView({ row, index, measure, lastSeen, parties, pointCodes, onEdit, onOpenPoint, showCategory }: RowProps) {
  const summary = summaryOf(row.summary);
  const pointName = `${row.number ?? row.point.code} ${row.point.title}`;
  return (
    // The header row is row 1 for aria-rowindex.
    <tr ref={measure} data-row={index} data-index={index} aria-rowindex={index + 2}>
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
      {parties.map((p) => {
        const stance = row.cells[p.id]?.stance ?? null;
        return (
        <MatrixCell
          key={p.id}
          stance={stance}
          corroboration={row.cells[p.id]?.corroboration}
          changedSinceVisit={lastSeen !== null && stance !== null && stance.seq > lastSeen}
          pointCodes={pointCodes}
          pointId={row.point.id}
          partyId={p.id}
          name={`${p.name} on ${pointName}`}
          onEdit={onEdit}
          navigable
        />
        );
      })}
      <td className={`col-summary summary--${summary.kind}`} title={summary.description} {...NAV}>
        <span className="cell__box">
          <SummaryIcon kind={summary.kind} />
          <span className="summary-text">{summary.text}</span>
        </span>
      </td>
    </tr>
  );
});

/** Points × parties table with a summary column and a totals line. Large tables render only the rows near the screen. */
export function MatrixTable({ view, caption, onEdit, onOpenPoint, onOpenParty, showCategory = true, lastSeen = null, autoScroll = false }: Props) {
  // Keyed on the codes, not the view: a live update makes a new view but must not make a new map
  // (every memoized cell would re-render).
  const codesKey = view.rows.map((r) => `${r.point.id}\u0000${r.point.code}`).join('\u0001');
  const pointCodes = useMemo(() => pointCodeMap(view), [codesKey]);
  const totals = matrixTotals(view.rows);
  const hintId = useId();
  const body = useRef<HTMLTableSectionElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const rows = view.rows;
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const getKey = useCallback((i: number) => rowsRef.current[i]?.point.id ?? String(i), []);
  // The row holding the keyboard focus stays rendered; a move to a row off screen renders it first.
  const [pinned, setPinned] = useState<number | null>(null);
  const pendingFocus = useRef<GridPos | null>(null);
  const rowWindow = useRowWindow({ count: rows.length, getKey, scroller, body, pinned });
  useAutoScroll(scroller, autoScroll);
  // Navigable elements per row: point, category?, one per party, summary.
  const cols = (showCategory ? 3 : 2) + view.parties.length;

  // Runs after every render: rows come and go with filters, live updates and scrolling.
  useEffect(() => {
    if (body.current) ensureRover(body.current);
  });
  useLayoutEffect(() => {
    const want = pendingFocus.current;
    if (!want || !body.current) return;
    const el = gridElement(body.current, want);
    if (!el) return;
    pendingFocus.current = null;
    el.focus({ preventScroll: true });
    el.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  });

  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const from = e.target instanceof HTMLElement ? e.target.closest<HTMLElement>('[data-nav]') : null;
    if (!from || e.altKey || e.metaKey || !body.current) return;
    const pos = gridPos(from);
    const target = pos ? gridMove(pos, e.key, e.ctrlKey, rows.length, cols) : null;
    if (!target) return;
    e.preventDefault();
    const el = gridElement(body.current, target);
    if (el) {
      el.focus();
      el.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
    } else {
      // Not rendered (far off screen): render that row, then focus it after the render.
      pendingFocus.current = target;
      rowWindow.scrollTo(target.row);
    }
    if (rowWindow.items) setPinned(target.row);
  };
  const onFocus = (e: FocusEvent<HTMLTableSectionElement>) => {
    const el = e.target instanceof HTMLElement ? e.target.closest<HTMLElement>('[data-nav]') : null;
    if (!el || !body.current) return;
    rove(body.current, el);
    const pos = rowWindow.items ? gridPos(el) : null;
    if (pos) setPinned(pos.row);
  };

  if (view.parties.length === 0 || view.rows.length === 0) {
    return (
      <p className="empty-state">
        {view.rows.length === 0 ? 'This negotiation has no points yet.' : 'This negotiation has no parties yet.'}
      </p>
    );
  }

  const colSpan = cols;
  const rowView = (row: MatrixRow, index: number) => (
    <MatrixRowView
      key={row.point.id}
      row={row}
      index={index}
      measure={rowWindow.measure}
      lastSeen={lastSeen}
      parties={view.parties}
      pointCodes={pointCodes}
      onEdit={onEdit}
      onOpenPoint={onOpenPoint}
      showCategory={showCategory}
    />
  );
  // Rows not rendered are stood for by blank rows of their height, so the scrollbar stays true.
  const spacer = (key: string, height: number) =>
    height > 0 ? (
      <tr key={key} className="matrix__spacer" aria-hidden="true">
        <td colSpan={colSpan} style={{ height }} />
      </tr>
    ) : null;

  return (
    <>
      <div ref={scroller} className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
        {/* Fixed layout with set column widths: the browser sizes columns from the <col>s, not by
            measuring 10,000 cells, and a changed cell cannot resize its column. */}
        <table
          className="matrix"
          aria-describedby={hintId}
          aria-rowcount={rows.length + 1}
          data-windowed={rowWindow.items ? 'true' : undefined}
          style={{ '--party-count': view.parties.length, '--fixed-cols': showCategory ? 2 : 1 } as CSSProperties}
        >
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
            <tr aria-rowindex={1}>
              <th scope="col" className="col-point">
                Point
              </th>
              {showCategory ? (
                <th scope="col" className="col-category">
                  Category
                </th>
              ) : null}
              {view.parties.map((p) => (
                <th key={p.id} scope="col" className="col-party" title={`${p.name} (${p.code})`}>
                  <span className="party-head">
                    <span className="swatch" style={{ backgroundColor: p.color }} aria-hidden="true" />
                    {onOpenParty ? (
                      <button type="button" className="party-link party-name" onClick={() => onOpenParty(p.id)}>
                        {p.name}
                      </button>
                    ) : (
                      <span className="party-name">{p.name}</span>
                    )}
                  </span>
                </th>
              ))}
              <th scope="col" className="col-summary">
                Summary
              </th>
            </tr>
          </thead>
          <tbody ref={body} onKeyDown={onKeyDown} onFocus={onFocus}>
            {rowWindow.items ? (
              <>
                {spacer('before', rowWindow.before)}
                {rowWindow.items.map((item) => {
                  const row = rows[item.index];
                  if (!row) return null;
                  return (
                    <Fragment key={row.point.id}>
                      {spacer(`gap-${item.index}`, rowWindow.gapBefore(item.index))}
                      {rowView(row, item.index)}
                    </Fragment>
                  );
                })}
                {spacer('after', rowWindow.after)}
              </>
            ) : (
              rows.map(rowView)
            )}
          </tbody>
        </table>
      </div>
      <p id={hintId} className="visually-hidden">
        Arrow keys move between cells; Home and End go to the start and end of a row, Page Up and Page Down ten rows.
      </p>
      <p className="totals" data-testid="matrix-totals">
        Agreed <strong>{totals.agreed}</strong> of {totals.points} points · Blocked <strong>{totals.blocked}</strong>
      </p>
    </>
  );
}
