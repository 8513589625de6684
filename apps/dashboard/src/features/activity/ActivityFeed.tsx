import { POSITION_LABEL, type ChangeItem } from '@parley/contracts';
import { Fragment } from 'react';
import { formatEffective, sourceText } from '../../shared/cell-format';
import { POSITION_SWATCH } from '../../shared/palette';

interface Props {
  /** Changes oldest first, as the API sends them; shown newest first. */
  items: readonly ChangeItem[];
  parties: ReadonlyMap<string, { name: string; color: string }>;
  points: ReadonlyMap<string, { code: string; title: string }>;
  actors: ReadonlyMap<string, string>;
  /** Last sequence number seen on a previous visit; null = first visit. */
  lastSeen: number | null;
  onOpenPoint?: (pointId: string) => void;
}

const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** Latest stance changes, newest first, with a marker between what is new since the last visit and the rest. */
export function ActivityFeed({ items, parties, points, actors, lastSeen, onOpenPoint }: Props) {
  const newestFirst = [...items].reverse();
  const newCount = lastSeen === null ? 0 : newestFirst.filter((c) => c.seq > lastSeen).length;
  const markerAt = lastSeen === null || newCount === 0 || newCount === newestFirst.length ? -1 : newCount;

  return (
    <>
      <p className="feed__summary" role="status" data-testid="feed-summary">
        {lastSeen === null
          ? 'Your first visit here: showing the latest changes.'
          : newCount === 0
            ? 'Nothing new since your last visit.'
            : `${newCount}${newCount === items.length ? '+' : ''} new since your last visit.`}
      </p>
      {newestFirst.length === 0 ? <p className="empty-state">No stance has been recorded yet.</p> : null}
      <ol className="feed" reversed>
        {newestFirst.map((c, i) => {
          const e = c.event;
          const party = parties.get(e.partyId);
          const point = points.get(e.pointId);
          const actor = e.actorId ? actors.get(e.actorId) : undefined;
          const isNew = lastSeen !== null && c.seq > lastSeen;
          return (
            <Fragment key={c.seq}>
              {i === markerAt ? (
                <li className="feed__marker" aria-label="Earlier changes, seen on your last visit">
                  <span>Seen on your last visit</span>
                </li>
              ) : null}
              <li
                className={`feed__item${isNew ? ' feed__item--new' : ''}${c.kind === 'stance.retracted' ? ' feed__item--retracted' : ''}${c.kind === 'stance.corrected' ? ' feed__item--corrected' : ''}`}
              >
                <p className="feed__line">
                  {isNew ? <span className="badge badge--new">new</span> : null}
                  <span className="swatch" style={{ backgroundColor: party?.color ?? '#999' }} aria-hidden="true" />
                  <strong>{party?.name ?? e.partyId}</strong>{' '}
                  {c.kind === 'stance.corrected' ? (
                    <>
                      corrected{' '}
                      <span className="chip" style={POSITION_SWATCH[c.retracted.position]}>
                        <s>{POSITION_LABEL[c.retracted.position]}</s>
                      </span>{' '}
                      to{' '}
                    </>
                  ) : c.kind === 'stance.retracted' ? (
                    'retracted '
                  ) : (
                    'now '
                  )}
                  <span className="chip" style={POSITION_SWATCH[e.position]}>
                    {c.kind === 'stance.retracted' ? <s>{POSITION_LABEL[e.position]}</s> : POSITION_LABEL[e.position]}
                  </span>{' '}
                  on{' '}
                  {onOpenPoint ? (
                    <button type="button" className="link-button" onClick={() => onOpenPoint(e.pointId)}>
                      {point ? `${point.code} ${point.title}` : e.pointId}
                    </button>
                  ) : (
                    <span>{point ? `${point.code} ${point.title}` : e.pointId}</span>
                  )}
                </p>
                <p className="feed__meta">
                  {c.kind === 'stance.retracted' || c.kind === 'stance.corrected' ? <>Reason: {c.reason} · </> : null}
                  {actor ? <>said by {actor} · </> : null}
                  effective {formatEffective(e)} · {e.confidence}
                  {sourceText(e) ? <> · {sourceText(e)}</> : null} · recorded by {e.recordedBy},{' '}
                  <time dateTime={c.recordedAt}>{when(c.recordedAt)}</time> · #{c.seq}
                </p>
              </li>
            </Fragment>
          );
        })}
      </ol>
    </>
  );
}
