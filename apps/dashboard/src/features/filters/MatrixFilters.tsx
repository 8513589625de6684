import './filters.css';
import { POINT_CATEGORIES, type MatrixView, type PlanDocument } from '@parley/contracts';
import { useId } from 'react';
import { ROW_STATUSES, type DashboardParams, type RowStatus } from '../../shared/url-state';
import { CATEGORY_LABEL } from '../../shared/categories';
import { DocumentScope } from '../documents/DocumentScope';
import { isFiltered, NO_FILTER, shownPartyCodes, toggleParty, type MatrixFilter } from './matrix-filter';

const STATUS_LABEL: Readonly<Record<RowStatus, string>> = {
  agreed: 'Agreed',
  blocked: 'Blocked',
  open: 'Open (positions differ)',
  none: 'No positions',
};

interface Props {
  filter: MatrixFilter;
  doc: string | null;
  parties: MatrixView['parties'];
  documents: readonly PlanDocument[];
  shown: number;
  total: number;
  setParams: (patch: Partial<DashboardParams>, opts?: { replace?: boolean }) => void;
}

/** Category, status, party and text filters over the matrix, all kept in the URL; "n of m points". */
export function MatrixFilters({ filter, doc, parties, documents, shown, total, setParams }: Props) {
  const ids = useId();
  const visible = shownPartyCodes(filter.parties);
  const visibleCount = visible ? parties.filter((p) => visible.has(p.code)).length : parties.length;
  const replace = { replace: true };
  return (
    <form className="filters" role="search" aria-label="Filter the matrix" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor={`${ids}-q`}>Search</label>
        <input
          id={`${ids}-q`}
          type="search"
          value={filter.q ?? ''}
          placeholder="title or text"
          onChange={(e) => setParams({ q: e.target.value || null }, replace)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-cat`}>Category</label>
        <select id={`${ids}-cat`} value={filter.cat ?? ''} onChange={(e) => setParams({ cat: e.target.value || null }, replace)}>
          <option value="">All</option>
          {POINT_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {CATEGORY_LABEL[c]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-status`}>Status</label>
        <select
          id={`${ids}-status`}
          value={filter.status ?? ''}
          onChange={(e) => setParams({ status: (e.target.value || null) as RowStatus | null }, replace)}
        >
          <option value="">All</option>
          {ROW_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </select>
      </div>
      <details className="filters__parties">
        <summary>
          Parties ({visibleCount} of {parties.length})
        </summary>
        <fieldset>
          <legend className="visually-hidden">Party columns shown</legend>
          {parties.map((p) => (
            <label key={p.id} className="filters__party">
              <input
                type="checkbox"
                checked={!visible || visible.has(p.code)}
                onChange={(e) => setParams({ parties: toggleParty(parties, filter.parties, p.code, e.target.checked) }, replace)}
              />
              {p.name}
            </label>
          ))}
        </fieldset>
      </details>
      <DocumentScope documents={documents} doc={doc} onChange={(next) => setParams({ doc: next }, replace)} />
      <p className="filters__count" role="status" data-testid="filter-count">
        <strong>{shown}</strong> of {total} points
      </p>
      {isFiltered(filter) ? (
        <button type="button" className="link-button" onClick={() => setParams({ ...NO_FILTER }, replace)}>
          Clear filters
        </button>
      ) : null}
    </form>
  );
}
