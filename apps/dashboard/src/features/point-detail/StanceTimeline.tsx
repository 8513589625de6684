import { POSITION_LABEL, type StanceEvent } from '@parley/contracts';
import type { ReactNode } from 'react';
import { conditionsText, formatEffective, sourceDetail } from '../../shared/cell-format';
import { POSITION_SWATCH } from '../../shared/palette';

export interface TimelineParty {
  id: string;
  name: string;
  color: string;
}

interface Props {
  events: readonly StanceEvent[];
  parties: readonly TimelineParty[];
  /** Actor id → display name. */
  actors: ReadonlyMap<string, string>;
  /** Point id → code, to name the points a condition depends on. */
  pointCodes?: ReadonlyMap<string, string>;
  /** The dashboard's as-of day (YYYY-MM-DD); later events are marked. */
  asOf: string | null;
  /** Analyst mode: each event not yet retracted gets a "Retract" button. */
  onRetract?: (event: StanceEvent, label: string) => void;
  /** Analyst mode: each event not yet retracted gets a "Correct" button (retract and record anew in one step). */
  onCorrect?: (event: StanceEvent) => void;
  /** Shown after a cited source (its archived copy, a link to every stance citing it). */
  sourceExtra?: (event: StanceEvent) => ReactNode;
}

/** End of an as-of day (UTC) in ms; null = now, nothing is "after". */
export function asOfBound(asOf: string | null): number | null {
  return asOf ? Date.parse(`${asOf}T23:59:59.999Z`) : null;
}

function EventItem({
  event,
  partyName,
  actors,
  pointCodes,
  bound,
  onRetract,
  onCorrect,
  sourceExtra,
}: { event: StanceEvent; partyName: string } & Pick<Props, 'actors' | 'pointCodes' | 'onRetract' | 'onCorrect' | 'sourceExtra'> & { bound: number | null }) {
  const label = POSITION_LABEL[event.position];
  const conditions = conditionsText(event, pointCodes);
  const actor = event.actorId ? (actors.get(event.actorId) ?? null) : null;
  const after = bound !== null && Date.parse(event.effectiveAt) > bound;
  const source = sourceDetail(event);
  const { url } = event.source;
  const retracted = event.retraction !== null;

  const headline = (
    <>
      <time dateTime={event.effectiveAt}>{formatEffective(event)}</time>{' '}
      <span className="chip" style={POSITION_SWATCH[event.position]}>
        {label}
      </span>{' '}
      <span className="event__conf">{event.confidence}</span>
      {actor ? <span className="event__actor"> · {actor}</span> : null}
    </>
  );

  return (
    <li className={`event${retracted ? ' event--retracted' : ''}${after ? ' event--after' : ''}`} data-event-id={event.id}>
      <p className="event__head">
        {retracted ? (
          <s>
            <span className="visually-hidden">Retracted: </span>
            {headline}
          </s>
        ) : (
          headline
        )}
        {after ? <span className="badge">after the selected date</span> : null}
        {onRetract && !retracted ? (
          <button
            type="button"
            className="link-button event__retract"
            aria-label={`Retract ${partyName}: ${label}, effective ${formatEffective(event)}`}
            onClick={() => onRetract(event, `${partyName}: ${label}, effective ${formatEffective(event)}`)}
          >
            Retract
          </button>
        ) : null}
        {onCorrect && !retracted ? (
          <button
            type="button"
            className="link-button event__correct"
            aria-label={`Correct ${partyName}: ${label}, effective ${formatEffective(event)}`}
            onClick={() => onCorrect(event)}
          >
            Correct
          </button>
        ) : null}
      </p>
      {event.retraction ? (
        <p className="event__retraction">
          <strong>Retracted</strong> on {event.retraction.recordedAt.slice(0, 10)}: {event.retraction.reason}
          {event.retraction.approvedBy ? ` (proposed by ${event.retraction.recordedBy}, approved by ${event.retraction.approvedBy})` : null}
        </p>
      ) : null}
      {event.approvedBy ? (
        <p className="event__review">
          Proposed by {event.recordedBy}, approved by {event.approvedBy}
        </p>
      ) : null}
      {event.quote ? (
        <blockquote className="event__quote">
          <p lang={event.quoteLanguage ?? undefined}>
            “{event.quote}”{event.quoteLanguage ? <span className="event__lang"> ({event.quoteLanguage})</span> : null}
          </p>
          {event.translation ? (
            <p className="event__translation" lang={event.translationLanguage ?? undefined}>
              Translation{event.translationLanguage ? <span className="event__lang"> ({event.translationLanguage})</span> : null}: “{event.translation}”
            </p>
          ) : null}
        </blockquote>
      ) : null}
      {event.note ? <p className="event__note">{event.note}</p> : null}
      {conditions ? <p className="event__cond">Condition: {conditions}</p> : null}
      {source ? (
        <p className="event__source">
          Source:{' '}
          {source.kind ? <span className="event__source-kind">{source.kind}</span> : null}
          {source.kind && (source.headline || url) ? ' · ' : null}
          {url ? (
            <a href={url} target="_blank" rel="noreferrer noopener">
              {source.headline || url}
            </a>
          ) : (
            source.headline
          )}
          {source.published ? <> · published {source.published}</> : null}
          {source.language ? (
            <>
              {' '}
              · in <span lang={source.language}>{source.language}</span>
            </>
          ) : null}
          {source.description ? <span className="event__source-description"> · {source.description}</span> : null}
          {event.source.id && sourceExtra ? <> · {sourceExtra(event)}</> : null}
        </p>
      ) : null}
    </li>
  );
}

/** Each party's stance events on one point, oldest first; retractions struck through with their reason. */
export function StanceTimeline({ events, parties, actors, pointCodes, asOf, onRetract, onCorrect, sourceExtra }: Props) {
  const bound = asOfBound(asOf);
  const byParty = new Map<string, StanceEvent[]>();
  for (const e of events) {
    const list = byParty.get(e.partyId) ?? [];
    list.push(e);
    byParty.set(e.partyId, list);
  }
  for (const list of byParty.values()) {
    list.sort((a, b) => a.effectiveAt.localeCompare(b.effectiveAt) || a.recordedAt.localeCompare(b.recordedAt));
  }
  const known = parties.filter((p) => byParty.has(p.id));
  const unknownIds = [...byParty.keys()].filter((id) => !parties.some((p) => p.id === id));
  const groups = [...known, ...unknownIds.map((id) => ({ id, name: id, color: '#999' }))];
  const silent = parties.filter((p) => !byParty.has(p.id));

  return (
    <div className="timeline">
      {groups.length === 0 ? <p className="empty-state">No party has stated a position on this point.</p> : null}
      {groups.map((party) => (
        <section key={party.id} className="timeline__party" aria-label={party.name}>
          <h5>
            <span className="swatch" style={{ backgroundColor: party.color }} aria-hidden="true" />
            {party.name}
          </h5>
          <ol className="timeline__events">
            {byParty.get(party.id)?.map((e) => (
              <EventItem key={e.id} event={e} partyName={party.name} actors={actors} pointCodes={pointCodes} bound={bound} onRetract={onRetract} onCorrect={onCorrect} sourceExtra={sourceExtra} />
            ))}
          </ol>
        </section>
      ))}
      {silent.length > 0 ? (
        <p className="hint">No stated position: {silent.map((p) => p.name).join(', ')}</p>
      ) : null}
    </div>
  );
}
