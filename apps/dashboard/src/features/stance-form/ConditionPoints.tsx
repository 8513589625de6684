import type { Point } from '@parley/contracts';
import { useId, useState } from 'react';

interface Props {
  /** The negotiation's points in their order (the stance's own point is left out). */
  points: readonly Point[];
  chosen: readonly string[];
  onChange: (ids: string[]) => void;
  /** The API's or the schema's message about the linked points. */
  error?: string;
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();

/**
 * The points a stance's conditions depend on (`conditions.pointIds`): a box per point, found by
 * typing part of its code or title; the chosen ones stay listed first whatever is typed. Enter in
 * the search box adds (or removes) the one point that matches.
 */
export function ConditionPoints({ points, chosen, onChange, error }: Props) {
  const ids = useId();
  const [filter, setFilter] = useState('');
  const words = fold(filter).split(/\s+/).filter(Boolean);
  const matches = (p: Point) => words.every((w) => fold(`${p.code} ${p.title}`).includes(w));
  const picked = chosen.map((id) => points.find((p) => p.id === id)).filter((p): p is Point => p !== undefined);
  const others = points.filter((p) => !chosen.includes(p.id) && matches(p));
  const toggle = (id: string) => onChange(chosen.includes(id) ? chosen.filter((c) => c !== id) : [...chosen, id]);
  const errorId = `${ids}-error`;

  return (
    <div
      className={`form-row stance-form__linked${error ? ' form-row--invalid' : ''}`}
      role="group"
      aria-labelledby={`${ids}-label`}
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? errorId : undefined}
    >
      <span id={`${ids}-label`} className="stance-form__linked-label">
        Depends on points{chosen.length > 0 ? ` (${chosen.length} chosen)` : ''}
      </span>
      <label htmlFor={`${ids}-filter`} className="visually-hidden">
        Find a point
      </label>
      <input
        id={`${ids}-filter`}
        type="search"
        placeholder="Find a point: code or title (p05, sanctions…)"
        value={filter}
        data-key="p"
        onChange={(e) => setFilter(e.target.value)}
        onKeyDown={(e) => {
          // Enter takes the one point that matches; it never sends the stance from here.
          if (e.key !== 'Enter') return;
          e.preventDefault();
          const all = points.filter(matches);
          if (all.length === 1 && all[0]) {
            toggle(all[0].id);
            setFilter('');
          }
        }}
      />
      <ul className="stance-form__points">
        {[...picked, ...others].map((p) => (
          <li key={p.id}>
            <label>
              <input type="checkbox" checked={chosen.includes(p.id)} onChange={() => toggle(p.id)} data-point-id={p.id} /> <span className="stance-form__code">{p.code}</span> {p.title}
            </label>
          </li>
        ))}
        {others.length === 0 && picked.length === 0 ? <li className="hint">{points.length === 0 ? 'No other points.' : 'No point matches.'}</li> : null}
      </ul>
      {error ? (
        <span id={errorId} className="field-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}
