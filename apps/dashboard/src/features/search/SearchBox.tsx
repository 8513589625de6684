import type { SearchHit } from '@parley/contracts';
import { useId, useState } from 'react';
import { asApiError } from '../../shared/api';
import type { DashboardParams } from '../../shared/url-state';
import { hitLabel, hitTarget } from './hit-target';
import { Snippet } from './Snippet';
import { useSearch } from './use-search';
import './search.css';

interface Props {
  slug: string;
  onOpen: (patch: Partial<DashboardParams>) => void;
}

const KIND: Record<SearchHit['kind'], string> = { stance: 'Stance', point: 'Point', provision: 'Provision', source: 'Source', archive: 'Archived copy', proposal: 'Proposal' };

/** The header's search over the negotiation's quotes, notes, points, provisions, sources and their archived copies. */
export function SearchBox({ slug, onOpen }: Props) {
  const id = useId();
  const [text, setText] = useState('');
  const [asked, setAsked] = useState('');
  const result = useSearch(slug, asked);
  const open = asked.trim().length > 0;
  const close = () => {
    setAsked('');
  };
  return (
    <div className="search-box" onKeyDown={(e) => (e.key === 'Escape' ? close() : undefined)}>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(text.trim());
        }}
      >
        <label htmlFor={id} className="visually-hidden">
          Search this negotiation
        </label>
        <input id={id} type="search" placeholder="Search quotes, points, sources…" value={text} maxLength={200} onChange={(e) => setText(e.target.value)} />
        <button type="submit">Search</button>
      </form>
      {open ? (
        <section className="search-results" aria-label="Search results">
          <header>
            <span role="status">
              {result.isPending ? 'Searching…' : result.isError ? asApiError(result.error).message : `${result.data.total} ${result.data.total === 1 ? 'hit' : 'hits'}${result.data.truncated ? ' (only the newest 500 of a kind are ranked: add words)' : ''}`}
            </span>
            <button type="button" className="link-button" onClick={close}>
              Close
            </button>
          </header>
          {result.data ? (
            <ol>
              {result.data.hits.map((hit, i) => (
                <li key={i}>
                  <button
                    type="button"
                    className="search-hit"
                    onClick={() => {
                      onOpen(hitTarget(hit));
                      close();
                    }}
                  >
                    <span className="search-hit__kind">{KIND[hit.kind]}</span> <span className="search-hit__label">{hitLabel(hit)}</span>
                    <Snippet parts={hit.snippet} />
                  </button>
                </li>
              ))}
            </ol>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
