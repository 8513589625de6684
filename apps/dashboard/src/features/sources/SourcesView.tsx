import { SOURCE_KIND_LABEL, type SourceDetail, type SourceKind } from '@parley/contracts';
import { useId, useMemo, useState } from 'react';
import { ErrorNotice, Loading } from '../../shared/QueryState';
import type { DashboardParams } from '../../shared/url-state';
import { useAuth } from '../auth/AuthProvider';
import { SourceDialog } from './SourceDialog';
import { publishedDay, sourceMatches } from './source-name';
import { useSources } from './use-sources';
import './sources.css';

/** The view's filters and order, kept in the URL so a filtered list can be shared. */
export type SourceFilters = Pick<DashboardParams, 'srcQ' | 'srcKind' | 'srcOutlet' | 'srcSort'>;

interface Props {
  slug: string;
  filters: SourceFilters;
  setFilters: (patch: Partial<SourceFilters>) => void;
  /** Opens a source's panel (through the URL: `?source=<id>`). */
  onOpenSource: (sourceId: string) => void;
}

type Order = 'newest' | 'oldest';

/** Rows rendered at most (a negotiation can hold thousands of sources): the filters narrow the rest. */
export const ROWS_SHOWN = 500;

/** By publication date (undated ones last either way), then by outlet and headline. */
function compare(order: Order) {
  return (a: SourceDetail, b: SourceDetail): number => {
    const da = a.publishedAt ?? '';
    const db = b.publishedAt ?? '';
    if (da !== db) {
      if (!da) return 1;
      if (!db) return -1;
      return order === 'newest' ? db.localeCompare(da) : da.localeCompare(db);
    }
    return (a.outlet ?? '').localeCompare(b.outlet ?? '') || (a.title ?? '').localeCompare(b.title ?? '') || a.id.localeCompare(b.id);
  };
}

/**
 * The negotiation's sources in one table: outlet, headline, publication date, kind, language,
 * archived or not, and how many stances cite each; filtered by text, kind and outlet, sorted by date.
 * A source opens its panel (every stance citing it, its archived copy); analysts correct one here.
 */
export function SourcesView({ slug, filters, setFilters, onOpenSource }: Props) {
  const ids = useId();
  const { analyst } = useAuth();
  const sources = useSources(slug);
  const text = filters.srcQ ?? '';
  const kind = filters.srcKind ?? '';
  const outlet = filters.srcOutlet ?? '';
  const order: Order = filters.srcSort ?? 'newest';
  const [editing, setEditing] = useState<SourceDetail | null>(null);

  const all = useMemo(() => [...(sources.data?.values() ?? [])], [sources.data]);
  // A kind or outlet named by the URL stays an option even when no source has it, so the select shows what filters.
  const outlets = useMemo(() => [...new Set([...all.flatMap((s) => (s.outlet ? [s.outlet] : [])), ...(outlet ? [outlet] : [])])].sort((a, b) => a.localeCompare(b)), [all, outlet]);
  const kinds = useMemo(() => [...new Set([...all.map((s) => s.kind), ...(kind ? [kind] : [])])], [all, kind]);
  const shown = useMemo(
    () => all.filter((s) => (kind === '' || s.kind === kind) && (outlet === '' || s.outlet === outlet) && sourceMatches(s, text)).sort(compare(order)),
    [all, kind, outlet, text, order],
  );

  if (sources.isPending) return <Loading what="the sources" />;
  if (sources.isError) return <ErrorNotice error={sources.error} what="the sources" onRetry={() => void sources.refetch()} />;

  return (
    <section className="sources-view" aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>Sources</h3>
      <form className="sources-view__filters" role="search" aria-label="Filter sources" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor={`${ids}-text`}>Filter</label>
        <input id={`${ids}-text`} type="search" placeholder="outlet, headline, URL, date…" value={text} onChange={(e) => setFilters({ srcQ: e.target.value || null })} />
        <label htmlFor={`${ids}-kind`}>Kind</label>
        <select id={`${ids}-kind`} value={kind} onChange={(e) => setFilters({ srcKind: (e.target.value || null) as SourceKind | null })}>
          <option value="">All kinds</option>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {SOURCE_KIND_LABEL[k]}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-outlet`}>Outlet</label>
        <select id={`${ids}-outlet`} value={outlet} onChange={(e) => setFilters({ srcOutlet: e.target.value || null })}>
          <option value="">All outlets</option>
          {outlets.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </form>
      {all.length === 0 ? (
        <p className="empty-state">This negotiation has no sources yet: a stance that cites one creates it.</p>
      ) : (
        <table className="sources-table">
          <caption>
            {shown.length === all.length ? `${all.length} sources` : `${shown.length} of ${all.length} sources`}
            {shown.length > ROWS_SHOWN ? `; the first ${ROWS_SHOWN} are listed, filter to see the others` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col" aria-sort={order === 'newest' ? 'descending' : 'ascending'}>
                <button type="button" className="link-button" onClick={() => setFilters({ srcSort: order === 'newest' ? 'oldest' : null })}>
                  Published {order === 'newest' ? '(newest first)' : '(oldest first)'}
                </button>
              </th>
              <th scope="col">Outlet</th>
              <th scope="col">Headline or description</th>
              <th scope="col">Kind</th>
              <th scope="col">Language</th>
              <th scope="col">Archived</th>
              <th scope="col">Cited by</th>
              {analyst ? <th scope="col">Correct</th> : null}
            </tr>
          </thead>
          <tbody>
            {shown.slice(0, ROWS_SHOWN).map((s) => (
              <tr key={s.id} data-source-id={s.id}>
                <td>{publishedDay(s) ?? '—'}</td>
                <td>{s.outlet ?? '—'}</td>
                <td>
                  <button type="button" className="link-button" onClick={() => onOpenSource(s.id)}>
                    {s.title ?? s.description ?? s.url ?? 'Untitled source'}
                  </button>
                  {s.url ? (
                    <>
                      {' '}
                      <a href={s.url} target="_blank" rel="noopener noreferrer" className="sources-table__url" aria-label={`Original at ${s.url}`}>
                        ↗
                      </a>
                    </>
                  ) : null}
                </td>
                <td>{SOURCE_KIND_LABEL[s.kind]}</td>
                <td>{s.language ? <span lang={s.language}>{s.language}</span> : '—'}</td>
                <td>{s.archive ? <span className="badge archive-status__yes">archived</span> : <span className="archive-status__no">no copy</span>}</td>
                <td className="num">{s.citedBy}</td>
                {analyst ? (
                  <td>
                    <button type="button" onClick={() => setEditing(s)} aria-label={`Edit ${s.outlet ?? ''} ${s.title ?? s.description ?? ''}`.replace(/\s+/g, ' ').trim()}>
                      Edit
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {shown.length === 0 && all.length > 0 ? <p className="empty-state">No source matches these filters.</p> : null}
      {editing ? <SourceDialog slug={slug} source={editing} onClose={() => setEditing(null)} /> : null}
    </section>
  );
}
