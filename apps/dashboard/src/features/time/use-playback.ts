import { useCallback, useEffect, useRef, useState } from 'react';
import { addDays } from './days';

/** How long each day of a replay stays on screen. */
export const STEP_MS = 700;

interface Options {
  /** First and last day of the replay; null when there is nothing to replay. */
  range: { first: string; last: string } | null;
  /** The as-of day shown now (null: now). */
  value: string | null;
  onChange: (day: string | null) => void;
  stepMs?: number;
}

export interface Playback {
  playing: boolean;
  /** Playing or paused in a replay (Stop can go back). */
  active: boolean;
  play: () => void;
  pause: () => void;
  /** Stops and goes back to the day shown before Play. */
  stop: () => void;
}

/**
 * Replays a negotiation day by day: Play starts at the first day (or goes on from the day shown, if it is
 * inside the range), each step moves one day on, and the replay stops by itself on the last day.
 */
export function usePlayback({ range, value, onChange, stepMs = STEP_MS }: Options): Playback {
  const [playing, setPlaying] = useState(false);
  const [active, setActive] = useState(false);
  const current = useRef(value);
  const startedFrom = useRef<string | null>(null);
  /** Between Play and Stop (or the end): a Pause keeps it, so Stop still goes back to where Play began. */
  const session = useRef(false);
  const change = useRef(onChange);
  change.current = onChange;
  // The user may move the date during a replay: go on from there.
  useEffect(() => {
    current.current = value;
  }, [value]);

  const first = range?.first ?? null;
  const last = range?.last ?? null;

  useEffect(() => {
    if (!playing || first === null || last === null) return;
    const timer = setInterval(() => {
      const cur = current.current;
      const next = cur === null || cur < first ? first : addDays(cur, 1);
      const day = next >= last ? last : next;
      current.current = day;
      change.current(day);
      if (day === last) {
        session.current = false;
        setActive(false);
        setPlaying(false);
      }
    }, stepMs);
    return () => clearInterval(timer);
  }, [playing, first, last, stepMs]);

  const play = useCallback(() => {
    if (first === null || last === null) return;
    const cur = current.current;
    if (!session.current) startedFrom.current = cur;
    session.current = true;
    setActive(true);
    // From the start unless a day inside the range is shown (then Play resumes from it).
    if (cur === null || cur < first || cur >= last) {
      current.current = first;
      change.current(first);
    }
    setPlaying(true);
  }, [first, last]);

  const pause = useCallback(() => setPlaying(false), []);

  const stop = useCallback(() => {
    setPlaying(false);
    session.current = false;
    setActive(false);
    current.current = startedFrom.current;
    change.current(startedFrom.current);
  }, []);

  return { playing, active, play, pause, stop };
}
