import './four-column.css';
import type { PlanDocument } from '@parley/contracts';
import { memo, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { ErrorNotice, Loading } from '../../shared/QueryState';
import type { DashboardParams } from '../../shared/url-state';
import { useDocuments } from '../documents/use-documents';
import { usePoints } from '../editing/use-lists';
import { ensureRover, gridElement, gridMove, gridPos, rove } from '../matrix/grid-keys';
import { DiffText } from '../point-detail/ProvisionDiff';
import { DocumentPicker } from './DocumentPicker';
import { chosenDocuments, documentsAsOf, fourColumnRows, linkText, statusText, type FourColumnCell, type FourColumnRow } from './columns';
import { KeysHelp } from './KeysHelp';
import { useComparisons } from './use-comparisons';

interface Props {
  slug: string;
  params: Pick<DashboardParams, 'asOf' | 'docs'>;
  setParams: (patch: Partial<DashboardParams>, opts?: { replace?: boolean }) => void;
  onOpenPoint: (pointId: string) => void;
}

/** Vim-style letters beside the arrows: j k between rows, h l between columns. */
const LETTER_KEYS: Record<string, string> = { j: 'ArrowDown', k: 'ArrowUp', h: 'ArrowLeft', l: 'ArrowRight' };

/** Puts `view-four-col` on <html> while the view is shown, so the print stylesheet drops the rest of the page. */
function usePrintMode(): void {
  useEffect(() => {
    const root = document.documentElement;
    root.classList.add('view-four-col');
    return () => root.classList.remove('view-four-col');
  }, []);
}

function Cell({ cell }: { cell: FourColumnCell }) {
  const status = statusText(cell);
  const links = linkText(cell.links);
  return (
    <>
      {cell.number !== null ? <span className="four-col__number">{cell.number}</span> : null}
      {cell.renumberedFrom !== null ? <span className="four-col__tag">renumbered from {cell.renumberedFrom}</span> : null}
      {cell.status === 'new' || cell.status === 'back' || cell.status === 'dropped' ? <span className={`four-col__tag four-col__tag--${cell.status}`}>{status}</span> : null}
      {links.map((l) => (
        <span key={l} className="four-col__tag four-col__tag--lineage">
          {l}
        </span>
      ))}
      {cell.text !== null ? <p className="four-col__text">{cell.diff ? <DiffText parts={cell.diff} /> : cell.text}</p> : null}
    </>
  );
}

const Row = memo(function Row({ row, index, columns }: { row: FourColumnRow; index: number; columns: readonly PlanDocument[] }) {
  const from = linkText(row.derivedFrom);
  return (
    <tr data-row={index} data-point-id={row.pointId}>
      <th scope="row" data-nav tabIndex={-1} className="four-col__point">
        <span className="four-col__code">{row.code}</span> {row.title}
        {from.length > 0 ? <span className="four-col__from">{from.join('; ')}</span> : null}
      </th>
      {columns.map((d, i) => {
        const cell = row.cells[i];
        return cell ? (
          <td
            key={d.id}
            data-nav
            tabIndex={-1}
            data-status={cell.status}
            className={`four-col__cell four-col__cell--${cell.status}`}
            aria-label={cell.status === 'absent' ? `${row.code} not in ${d.shortTitle || d.title}` : undefined}
          >
            <Cell cell={cell} />
          </td>
        ) : null;
      })}
    </tr>
  );
});

/**
 * The four-column view: the plan's versions (as of the date, all or those chosen in the URL's `docs`)
 * as columns, its points as rows, each cell the provision's number and text marked against the
 * column before it, with renumbering, new and dropped provisions, splits and merges. Keyboard: arrows
 * or j k / h l move, Enter opens the point's drawer, `?` lists the keys. Printable as it stands.
 */
export function FourColumnView({ slug, params, setParams, onOpenPoint }: Props) {
  usePrintMode();
  const documents = useDocuments(slug);
  const points = usePoints(slug);
  const [help, setHelp] = useState(false);
  const body = useRef<HTMLTableSectionElement>(null);

  const existing = useMemo(() => documentsAsOf(documents.data ?? [], params.asOf), [documents.data, params.asOf]);
  const columns = useMemo(() => chosenDocuments(existing, params.docs), [existing, params.docs]);
  const { comparisons, error: compareError, refetch } = useComparisons(slug, columns);
  const pointMap = useMemo(() => new Map((points.data ?? []).map((p) => [p.id, p])), [points.data]);
  const rows = useMemo(() => fourColumnRows(columns, comparisons, pointMap), [columns, comparisons, pointMap]);

  useEffect(() => {
    if (body.current) ensureRover(body.current);
  });

  if (documents.isPending || points.isPending) return <Loading what="the documents" />;
  if (documents.isError) return <ErrorNotice error={documents.error} what="the documents" onRetry={() => void documents.refetch()} />;
  if (points.isError) return <ErrorNotice error={points.error} what="the points" onRetry={() => void points.refetch()} />;

  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    if (e.altKey || e.metaKey || !body.current || !(e.target instanceof HTMLElement)) return;
    const pos = gridPos(e.target);
    if (!pos) return;
    if (e.key === 'Enter') {
      const id = e.target.closest<HTMLElement>('tr[data-point-id]')?.dataset['pointId'];
      if (id) {
        e.preventDefault();
        onOpenPoint(id);
      }
      return;
    }
    const key = LETTER_KEYS[e.key] ?? e.key;
    const to = gridMove(pos, key, e.ctrlKey, rows.length, columns.length + 1);
    if (!to) return;
    const el = gridElement(body.current, to);
    if (!el) return;
    e.preventDefault();
    rove(body.current, el);
    el.focus();
  };

  const title = columns.map((d) => d.shortTitle || d.title).join(' · ');
  return (
    <section
      className="four-col"
      aria-label="Four-column view"
      onKeyDown={(e) => {
        if (e.key === '?' && !(e.target instanceof HTMLInputElement)) {
          e.preventDefault();
          setHelp(true);
        }
      }}
    >
      <div className="four-col__bar">
        <DocumentPicker existing={existing} shown={columns} onChange={(docs) => setParams({ docs }, { replace: true })} />
        <button type="button" onClick={() => window.print()}>
          Print
        </button>
        <button type="button" aria-keyshortcuts="?" onClick={() => setHelp(true)}>
          Keys <kbd>?</kbd>
        </button>
      </div>
      <p className="four-col__heading">
        {params.asOf ? `The plan's texts as of ${params.asOf}` : "The plan's texts"}: {columns.length} document{columns.length === 1 ? '' : 's'}, {rows.length} points.
        <span className="four-col__hint"> Changes are marked against the column to the left.</span>
      </p>
      {compareError ? <ErrorNotice error={compareError} what="the comparison of the documents" onRetry={refetch} /> : null}
      {columns.length === 0 ? (
        <p className="empty-state">{params.asOf ? `No document had been published by ${params.asOf}.` : 'This negotiation has no documents yet.'}</p>
      ) : (
        <table className="four-col__table" aria-label={`Four-column view: ${title}`}>
          <thead>
            <tr>
              <th scope="col">Point</th>
              {columns.map((d) => (
                <th scope="col" key={d.id} data-document-id={d.id}>
                  {d.shortTitle || d.title}
                  <time className="four-col__date" dateTime={d.publishedAt}>
                    {d.publishedAt.slice(0, 10)}
                  </time>
                </th>
              ))}
            </tr>
          </thead>
          <tbody
            ref={body}
            onKeyDown={onKeyDown}
            onClick={(e) => {
              // A click on a point's name opens its drawer, as Enter does.
              const id = (e.target as HTMLElement).closest('th')?.closest<HTMLElement>('tr[data-point-id]')?.dataset['pointId'];
              if (id) onOpenPoint(id);
            }}
          >
            {rows.map((row, i) => (
              <Row key={row.pointId} row={row} index={i} columns={columns} />
            ))}
          </tbody>
        </table>
      )}
      {help ? <KeysHelp onClose={() => setHelp(false)} /> : null}
    </section>
  );
}
