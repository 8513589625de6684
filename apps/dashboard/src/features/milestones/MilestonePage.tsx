import './milestones.css';
import { POSITION_LABEL, type Milestone, type Party, type Point, type StanceEvent } from '@parley/contracts';
import type { UseQueryResult } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useRef } from 'react';
import { formatEffective } from '../../shared/cell-format';
import { ErrorNotice, Loading } from '../../shared/QueryState';
import { useParties } from '../../shared/use-parties';
import { usePoints } from '../editing/use-lists';
import { useMilestones } from '../trends/use-trends';
import { milestoneDays, useLinkedStances, useStancesWithin, type StanceList } from './use-milestone-stances';

interface Props {
  slug: string;
  milestoneId: string;
  onClose: () => void;
  /** Opens the stance's point at the day it took effect. */
  onOpenStance: (event: StanceEvent) => void;
}

interface Names {
  parties: ReadonlyMap<string, Party>;
  points: ReadonlyMap<string, Point>;
}

function Entry({ event, names, onOpen }: { event: StanceEvent; names: Names; onOpen: (e: StanceEvent) => void }) {
  const party = names.parties.get(event.partyId);
  const point = names.points.get(event.pointId);
  const label = `${party?.name ?? 'Unknown party'} on ${point ? `${point.code} ${point.title}` : 'an unknown point'}: ${POSITION_LABEL[event.position]}, ${formatEffective(event)}`;
  return (
    <li className="milestone__entry" data-event-id={event.id}>
      <button type="button" className="link-button" onClick={() => onOpen(event)} aria-label={label}>
        <span className="milestone__party">{party?.code ?? '?'}</span> {point ? <span className="milestone__point">{point.code}</span> : null} {point?.title}
      </button>{' '}
      <span className={`milestone__position${event.retraction ? ' is-retracted' : ''}`}>
        {event.retraction ? <s>{POSITION_LABEL[event.position]}</s> : POSITION_LABEL[event.position]}
      </span>{' '}
      · <time dateTime={event.effectiveAt}>{formatEffective(event)}</time>
      {event.retraction ? <span className="hint"> · retracted: {event.retraction.reason}</span> : null}
      {event.quote ? <q className="milestone__quote">{event.quote}</q> : null}
    </li>
  );
}

function Section({ title, what, empty, list, names, onOpen }: { title: string; what: string; empty: string; list: UseQueryResult<StanceList>; names: Names; onOpen: (e: StanceEvent) => void }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="milestone__section">
      <h4 id={id}>
        {title}
        {list.data ? ` (${list.data.events.length})` : null}
      </h4>
      {list.isPending ? (
        <Loading what={what} />
      ) : list.isError ? (
        <ErrorNotice error={list.error} what={what} onRetry={() => void list.refetch()} />
      ) : list.data.events.length === 0 ? (
        <p className="empty-state">{empty}</p>
      ) : (
        <>
          <ul className="milestone__list">
            {list.data.events.map((e) => (
              <Entry key={e.id} event={e} names={names} onOpen={onOpen} />
            ))}
          </ul>
          {list.data.partial ? <p className="notice">Only the first part of a long change log was read: later changes may be missing.</p> : null}
        </>
      )}
    </section>
  );
}

/**
 * A milestone's page (`?milestone=<id>`, over any view; Back closes it): the stance changes recorded
 * as linked to it, and those that took effect within its days. Each opens its point at its day.
 */
export function MilestonePage({ slug, milestoneId, onClose, onOpenStance }: Props) {
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const milestones = useMilestones(slug);
  const parties = useParties(slug);
  const points = usePoints(slug);
  const milestone: Milestone | undefined = milestones.data?.find((m) => m.id === milestoneId);
  const days = milestone ? milestoneDays(milestone) : null;
  const linked = useLinkedStances(slug, milestoneId);
  const within = useStancesWithin(slug, days);
  const names = useMemo<Names>(
    () => ({ parties: new Map((parties.data ?? []).map((p) => [p.id, p])), points: new Map((points.data ?? []).map((p) => [p.id, p])) }),
    [parties.data, points.data],
  );

  useEffect(() => {
    heading.current?.focus();
  }, [milestone?.id]);

  const period = days ? (days.from === days.to ? days.from : `${days.from} – ${days.to}`) : '';
  return (
    <section
      className="milestone"
      aria-labelledby={headingId}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="milestone__head">
        <h3 id={headingId} ref={heading} tabIndex={-1}>
          {milestone ? `Milestone: ${milestone.title}` : 'Milestone'}
        </h3>
        <button type="button" onClick={onClose} aria-label="Close the milestone">
          ✕ Close
        </button>
      </div>
      {milestones.isPending ? (
        <Loading what="the milestone" />
      ) : milestones.isError ? (
        <ErrorNotice error={milestones.error} what="the milestones" onRetry={() => void milestones.refetch()} />
      ) : !milestone ? (
        <p className="notice" role="status">
          This negotiation has no milestone “{milestoneId}”.
        </p>
      ) : (
        <>
          <p className="milestone__meta">
            <span className="milestone__kind">{milestone.kind}</span> · <time dateTime={milestone.startsAt}>{period}</time>
            {milestone.partyIds.length > 0 ? ` · ${milestone.partyIds.map((id) => names.parties.get(id)?.code ?? '?').join(', ')}` : null}
          </p>
          {milestone.description ? <p>{milestone.description}</p> : null}
          {milestone.sourceUrl ? (
            <p>
              <a href={milestone.sourceUrl} rel="noreferrer noopener" target="_blank">
                Source
              </a>
            </p>
          ) : null}
          <Section title="Stances linked to this milestone" what="the linked stances" empty="No stance was recorded as linked to this milestone." list={linked} names={names} onOpen={onOpenStance} />
          <Section title={`Stances effective ${days && days.from === days.to ? 'that day' : 'within its days'} (${period})`} what="the stances of its days" empty="No stance took effect within its days." list={within} names={names} onOpen={onOpenStance} />
        </>
      )}
    </section>
  );
}
