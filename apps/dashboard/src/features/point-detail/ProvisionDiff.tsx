import type { DiffPart, PointHistory } from '@parley/contracts';
import { wordDiff } from '@parley/domain';
import { useMemo } from 'react';

type Provision = PointHistory['provisions'][number];

/** One part of a diff: insertions and deletions are <ins>/<del> (underlined / struck through), not colour alone. */
export function DiffText({ parts }: { parts: readonly DiffPart[] }) {
  return (
    <>
      {parts.map((part, i) => {
        switch (part.op) {
          case 'equal':
            return <span key={i}>{part.text}</span>;
          case 'insert':
            return (
              <ins key={i}>
                <span className="visually-hidden">[added: </span>
                {part.text}
                <span className="visually-hidden">]</span>
              </ins>
            );
          case 'delete':
            return (
              <del key={i}>
                <span className="visually-hidden">[removed: </span>
                {part.text}
                <span className="visually-hidden">]</span>
              </del>
            );
        }
      })}
    </>
  );
}

/** The point's text in each document, oldest first, each version marked against the one before it. */
export function ProvisionDiff({ provisions }: { provisions: readonly Provision[] }) {
  const versions = useMemo(
    () =>
      [...provisions]
        .sort((a, b) => a.publishedAt.localeCompare(b.publishedAt))
        .map((p, i, all) => {
          const previous = i > 0 ? all[i - 1] : undefined;
          return { provision: p, diff: previous ? wordDiff(previous.text, p.text) : null };
        }),
    [provisions],
  );

  if (versions.length === 0) return <p className="empty-state">No document contains this point yet.</p>;

  return (
    <div className="provisions" role="list">
      {versions.map(({ provision, diff }, i) => (
        <article key={provision.documentId} className="provision" role="listitem" aria-label={provision.documentTitle}>
          <h5>
            {provision.documentTitle}
            <span className="provision__meta">
              {' '}
              · <time dateTime={provision.publishedAt}>{provision.publishedAt.slice(0, 10)}</time> · no.{' '}
              {provision.number}
            </span>
          </h5>
          <p className="provision__text">{diff ? <DiffText parts={diff} /> : provision.text}</p>
          {i > 0 ? (
            <p className="hint">
              {diff?.every((d) => d.op === 'equal') ? 'Same text as the previous document.' : 'Changes marked against the previous document.'}
            </p>
          ) : null}
        </article>
      ))}
    </div>
  );
}
