import type { PlanDocument } from '@parley/contracts';
import { useId } from 'react';

interface Props {
  documents: readonly PlanDocument[];
  /** The document in the URL (`?doc=`), or null: the whole negotiation. */
  doc: string | null;
  onChange: (doc: string | null) => void;
}

/** A document's name in the picker: its short title (or title) and its day. */
export function documentLabel(d: Pick<PlanDocument, 'title' | 'shortTitle' | 'publishedAt'>): string {
  return `${d.shortTitle || d.title} (${d.publishedAt.slice(0, 10)})`;
}

/**
 * What a scope means, in words, for the views it limits: null for the whole negotiation, else
 * "<document>: its n points, numbered as in it, from <day>" (issue 18, item 7).
 */
export function scopeNote(documents: readonly PlanDocument[], doc: string | null): string | null {
  if (!doc) return null;
  const d = documents.find((x) => x.id === doc);
  if (!d) return 'Scoped to a document this negotiation does not have';
  const n = d.provisions.length;
  return `Scoped to ${d.shortTitle || d.title}: its ${n} point${n === 1 ? '' : 's'}, numbered as in it, from ${d.publishedAt.slice(0, 10)}`;
}

/**
 * The document scope picker (`?doc=`): the matrix, the summary, the trends and the export links
 * show the chosen text's points only, in its numbering, its series from its date.
 */
export function DocumentScope({ documents, doc, onChange }: Props) {
  const id = useId();
  return (
    <div className="field document-scope">
      <label htmlFor={id}>Document</label>
      <select id={id} value={doc ?? ''} onChange={(e) => onChange(e.target.value || null)}>
        <option value="">All points</option>
        {documents.map((d) => (
          <option key={d.id} value={d.id}>
            {documentLabel(d)}
          </option>
        ))}
      </select>
    </div>
  );
}
