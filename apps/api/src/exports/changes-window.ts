import type { ExportQuery, StanceEvent } from '@parley/contracts';
import { parseBound, parseInstant, parseSince, toIso } from '@parley/domain';
import { badReference } from '../common/app-error';

/**
 * Which stance events a report's "changes" section lists. `since` is about the negotiation's time:
 * events whose effective date lies from `since` (a day includes that day) to `asOf` (or now), the
 * window a reader of a briefing dated `asOf` expects. `recordedSince` is about Parley's time: events
 * recorded (or retracted) after it, whatever their effective date. Both may be given; an event
 * must then pass both.
 */
export interface ChangesWindow {
  /** Exclusive lower bound on effective_at (parseSince), or null. */
  effectiveAfter: number | null;
  /** Inclusive upper bound on effective_at: asOf's bound, else the time of the request. */
  effectiveTo: number;
  /** Exclusive lower bound on recorded_at (or the retraction's), or null. */
  recordedAfter: number | null;
  /** For the reports' words: the first instant admitted, as the query gave it. */
  labels: { effectiveFrom: string | null; effectiveTo: string; recordedSince: string | null };
}

/** The window a query asks for, or null when it asks for no changes section; `since` after `asOf` is a 400. */
export function changesWindowOf(query: Pick<ExportQuery, 'since' | 'recordedSince' | 'asOf'>, now = Date.now()): ChangesWindow | null {
  if (query.since === undefined && query.recordedSince === undefined) return null;
  const effectiveTo = query.asOf === undefined ? now : parseBound(query.asOf);
  const effectiveAfter = query.since === undefined ? null : parseSince(query.since);
  if (effectiveAfter !== null && effectiveAfter >= effectiveTo) {
    throw badReference('query.since', `must not be after asOf (${query.asOf ?? 'now'}): the changes listed are those effective from since to asOf`);
  }
  return {
    effectiveAfter,
    effectiveTo,
    recordedAfter: query.recordedSince === undefined ? null : parseSince(query.recordedSince),
    labels: {
      effectiveFrom: query.since === undefined ? null : toIso(parseInstant(query.since)),
      effectiveTo: toIso(effectiveTo),
      recordedSince: query.recordedSince === undefined ? null : toIso(parseInstant(query.recordedSince)),
    },
  };
}

/** Whether an event (as seen at knownAt) belongs in the window: the same rule as the report's SQL. */
export function inChangesWindow(e: StanceEvent, w: ChangesWindow): boolean {
  if (w.effectiveAfter !== null) {
    const at = Date.parse(e.effectiveAt);
    if (at <= w.effectiveAfter || at > w.effectiveTo) return false;
  }
  if (w.recordedAfter !== null) {
    const retracted = e.retraction !== null && Date.parse(e.retraction.recordedAt) > w.recordedAfter;
    if (Date.parse(e.recordedAt) <= w.recordedAfter && !retracted) return false;
  }
  return true;
}
