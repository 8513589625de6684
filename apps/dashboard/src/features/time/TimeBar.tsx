import './time.css';
import type { Milestone } from '@parley/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useMemo } from 'react';
import type { DashboardParams } from '../../shared/url-state';
import { matrixQuery, useMatrix } from '../../shared/use-matrix';
import { useMilestones } from '../trends/use-trends';
import { addDays, dayOf, daysBetween, todayUtc } from './days';
import { playRange, type DayRange } from './play-range';
import { usePlayback } from './use-playback';

interface Props {
  slug: string;
  params: Pick<DashboardParams, 'asOf' | 'knownAt' | 'doc' | 'milestone'>;
  setParams: (patch: Partial<DashboardParams>, opts?: { replace?: boolean }) => void;
}

/** The slider position of a day: 0 … days of the range, and one more for "now". */
function indexOf(range: DayRange, asOf: string | null): number {
  const span = daysBetween(range.first, range.last);
  if (asOf === null) return span + 1;
  return Math.min(span, Math.max(0, daysBetween(range.first, asOf)));
}

/** Where the slider thumb stands for position i (the thumb is 16 px wide; see time.css). */
function at(i: number, span: number): string {
  return `calc(8px + ${i / (span + 1)} * (100% - 16px))`;
}

/** The latest milestone that started on or before the day (or before now). */
function latestMilestone(milestones: readonly Milestone[], asOf: string | null): Milestone | null {
  const day = asOf ?? todayUtc();
  let found: Milestone | null = null;
  for (const m of milestones) if (dayOf(m.startsAt) <= day && (!found || m.startsAt >= found.startsAt)) found = m;
  return found;
}

/**
 * The time bar: milestones on a day slider that sets the dashboard's as-of day (a milestone's marker also opens its page), a day-by-day replay
 * (Play / Pause / Stop), and the "known at" date of the audit view. Everything it sets is in the URL.
 */
export function TimeBar({ slug, params, setParams }: Props) {
  const ids = useId();
  const queryClient = useQueryClient();
  const milestones = useMilestones(slug);
  const now = useMatrix(slug, null);
  const list = useMemo(() => [...(milestones.data ?? [])].sort((a, b) => a.startsAt.localeCompare(b.startsAt)), [milestones.data]);
  const range = useMemo(() => playRange(list, now.data), [list, now.data]);
  const setAsOf = (asOf: string | null) => setParams({ asOf }, { replace: true });
  const playback = usePlayback({ range, value: params.asOf, onChange: setAsOf });
  const { asOf, knownAt, doc } = params;

  // Load the next day while this one is shown, so the replay moves without waiting for the network.
  useEffect(() => {
    if (!playback.playing || !asOf || !range || asOf >= range.last) return;
    void queryClient.prefetchQuery(matrixQuery(slug, addDays(asOf, 1), { knownAt, documentId: doc }));
  }, [playback.playing, asOf, range, slug, knownAt, doc, queryClient]);

  // Lets the stylesheet keep the matrix steady (no "loading" dimming) while it replays.
  useEffect(() => {
    document.documentElement.classList.toggle('is-playing', playback.playing);
    return () => document.documentElement.classList.remove('is-playing');
  }, [playback.playing]);

  const span = range ? daysBetween(range.first, range.last) : 0;
  const position = range ? indexOf(range, asOf) : 0;
  const milestone = latestMilestone(list, asOf);
  const shown = asOf ?? 'now';

  return (
    <section className="timebar" aria-label="Time">
      <div className="timebar__controls">
        {playback.playing ? (
          <button type="button" className="primary" onClick={playback.pause}>
            <span aria-hidden="true">❚❚ </span>Pause
          </button>
        ) : (
          <button type="button" className="primary" onClick={playback.play} disabled={!range}>
            <span aria-hidden="true">▶ </span>
            {playback.active ? 'Resume' : 'Play'}
          </button>
        )}
        <button type="button" onClick={playback.stop} disabled={!playback.active}>
          <span aria-hidden="true">■ </span>Stop
        </button>
        <p className="timebar__date" data-testid="timebar-date" aria-live={playback.playing ? 'off' : 'polite'}>
          Showing <strong>{shown}</strong>
          {milestone ? (
            <span className="timebar__milestone">
              {' '}
              · last milestone: {milestone.title} ({dayOf(milestone.startsAt)})
            </span>
          ) : null}
        </p>
        <div className="timebar__known">
          <input
            id={`${ids}-known`}
            type="checkbox"
            checked={knownAt !== null}
            onChange={(e) => setParams({ knownAt: e.target.checked ? (asOf ?? todayUtc()) : null })}
          />
          <label htmlFor={`${ids}-known`}>Known at</label>
          {knownAt !== null ? (
            <input
              type="date"
              aria-label="Known at date"
              value={knownAt.slice(0, 10)}
              onChange={(e) => e.target.value && setParams({ knownAt: e.target.value }, { replace: true })}
            />
          ) : (
            <span className="hint">audit: only what was recorded by a date</span>
          )}
        </div>
      </div>
      {range ? (
        <div className="timebar__track">
          <input
            type="range"
            className="timebar__slider"
            aria-label="Date"
            min={0}
            max={span + 1}
            step={1}
            value={position}
            aria-valuetext={asOf === null ? 'Now' : asOf}
            onChange={(e) => {
              const i = Number(e.target.value);
              setAsOf(i > span ? null : addDays(range.first, i));
            }}
          />
          <ol className="timebar__milestones" aria-label="Milestones">
            {list.map((m) => {
              const day = dayOf(m.startsAt);
              const i = Math.min(span, Math.max(0, daysBetween(range.first, day)));
              return (
                <li key={m.id} style={{ left: at(i, span) }}>
                  <button
                    type="button"
                    className={`timebar__marker${day === asOf ? ' is-current' : ''}`}
                    title={`${day} · ${m.title} (${m.kind})`}
                    aria-label={`${day}: ${m.title}`}
                    aria-current={params.milestone === m.id ? 'page' : undefined}
                    onClick={() => setParams({ asOf: day, milestone: m.id })}
                  />
                </li>
              );
            })}
          </ol>
          <div className="timebar__ends" aria-hidden="true">
            <span style={{ left: at(0, span) }}>{range.first}</span>
            <span style={{ left: at(span + 1, span) }}>{range.last} · now</span>
          </div>
        </div>
      ) : null}
    </section>
  );
}
