import type { InheritedHistory as Inherited, StanceEvent } from '@parley/contracts';
import type { ReactNode } from 'react';
import { StanceTimeline, type TimelineParty } from './StanceTimeline';

interface Props {
  inherited: readonly Inherited[];
  parties: readonly TimelineParty[];
  actors: ReadonlyMap<string, string>;
  asOf: string | null;
  sourceExtra?: (event: StanceEvent) => ReactNode;
}

const KIND: Readonly<Record<Inherited['kind'], string>> = { split: 'split from', merge: 'merged from', reworded: 'reworded from' };

/** "p29 merged from p05, before 2025-12-01" — how a section of inherited history is headed. */
export function inheritedHeading(h: Pick<Inherited, 'from' | 'via' | 'kind' | 'before'>): string {
  return `${h.via.code} ${KIND[h.kind]} ${h.from.code}${h.before ? `, before ${h.before.slice(0, 10)}` : ''}`;
}

/**
 * A point's history inherited along its lineage: each ancestor's texts and stances from before the
 * split or merge, each section marked with the ancestor's code. Read-only: a retraction is made on
 * the ancestor itself.
 */
export function InheritedHistory({ inherited, parties, actors, asOf, sourceExtra }: Props) {
  if (inherited.length === 0) return null;
  return (
    <>
      <h4 className="drawer__section">Inherited history</h4>
      {inherited.map((h) => (
        <section key={`${h.via.id}-${h.from.id}`} className="inherited" aria-label={`Inherited from ${h.from.code}`} data-testid="inherited">
          <h5>
            <span className="inherited__badge">inherited · {h.from.code}</span> {inheritedHeading(h)}
            <span className="visually-hidden"> ({h.from.title})</span>
          </h5>
          {h.provisions.length > 0 ? (
            <ul className="inherited__texts">
              {h.provisions.map((p) => (
                <li key={p.documentId}>
                  <strong>
                    {p.documentTitle} §{p.number}
                  </strong>{' '}
                  ({p.publishedAt.slice(0, 10)}): {p.text}
                </li>
              ))}
            </ul>
          ) : null}
          {h.events.length > 0 ? (
            <StanceTimeline events={h.events} parties={parties} actors={actors} asOf={asOf} sourceExtra={sourceExtra} />
          ) : (
            <p className="hint">No stance on {h.from.code} before then.</p>
          )}
        </section>
      ))}
    </>
  );
}
