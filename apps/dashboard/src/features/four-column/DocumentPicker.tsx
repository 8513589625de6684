import type { PlanDocument } from '@parley/contracts';
import { docsParam } from './columns';

interface Props {
  /** The documents published by the as-of date, in publication order. */
  existing: readonly PlanDocument[];
  /** The columns shown. */
  shown: readonly PlanDocument[];
  /** The new `docs` URL value (null: all). */
  onChange: (docs: string | null) => void;
}

/** Which documents are columns: all by default; unticking keeps at least one. */
export function DocumentPicker({ existing, shown, onChange }: Props) {
  const ids = new Set(shown.map((d) => d.id));
  const toggle = (id: string, on: boolean) => {
    const next = new Set(ids);
    if (on) next.add(id);
    else next.delete(id);
    if (next.size > 0) onChange(docsParam(existing, next));
  };
  return (
    <details className="four-col__picker">
      <summary>
        Documents ({shown.length} of {existing.length})
      </summary>
      <fieldset>
        <legend>Documents shown as columns</legend>
        {existing.map((d) => (
          <label key={d.id}>
            <input type="checkbox" checked={ids.has(d.id)} disabled={ids.has(d.id) && ids.size === 1} onChange={(e) => toggle(d.id, e.target.checked)} />
            {d.shortTitle || d.title} <span className="hint">({d.publishedAt.slice(0, 10)})</span>
          </label>
        ))}
        <button type="button" onClick={() => onChange(null)} disabled={shown.length === existing.length}>
          Show all
        </button>
      </fieldset>
    </details>
  );
}
