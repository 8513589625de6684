import type { ChangesWindow } from './changes-window';
import type {
  ConvergencePoint,
  MatrixRow,
  MatrixView,
  MetricsView,
  Milestone,
  Negotiation,
  Party,
  PlanDocument,
  Point,
  StanceEvent,
} from '@parley/contracts';

/**
 * Everything a report (PDF briefing, spreadsheet, digest) shows, read once from the database for
 * one (asOf, knownAt, changes window, filters) request. Renderers are pure functions of this plus, for the
 * complete event list, a stream: they never query the database themselves.
 */
export interface ReportData {
  negotiation: Negotiation;
  /** When the report was generated (ISO). */
  generatedAt: string;
  /** The requested bounds as given back by the API (ISO), null = now / everything. */
  asOf: string | null;
  knownAt: string | null;
  /** The changes section's window in words (effective from/to, recorded since); null = no section requested. */
  changesWindow: ChangesWindow['labels'] | null;
  /** Document whose numbering and order the matrix uses, if one was chosen. */
  document: Pick<PlanDocument, 'id' | 'title' | 'shortTitle'> | null;
  /** Party columns shown (after the party filter), in matrix order. */
  parties: MatrixView['parties'];
  /** Matrix rows shown (after the category/status/search filters), summaries over the shown parties. */
  rows: MatrixRow[];
  /** A human description of the filters applied, e.g. "category: territory; parties: UA, RU"; null = none. */
  filters: string | null;
  /** Stance events in the changes window (and visible at knownAt), in sequence order; at most REPORT_CHANGES_LIMIT. */
  changes: StanceEvent[];
  /** How many such events there are in all (may exceed changes.length). */
  changesTotal: number;
  /** Agreed / blocked / addressed points per seriesStep, from the first stance to asOf (or now). */
  series: ConvergencePoint[];
  /** The series' spacing: the finest of day, week, month, year that fits the history. */
  seriesStep: MetricsView['step'];
  milestones: Milestone[];
  /** Full records, for lookups (names of parties, actors, points) and the reference sheets. */
  allParties: Party[];
  allPoints: Point[];
  documents: PlanDocument[];
}

/** Most changes listed in a report section; the full list is in the spreadsheet and the dumps. */
export const REPORT_CHANGES_LIMIT = 2_000;

/** Every stance event of the negotiation visible at knownAt (retractions included), in sequence order. */
export type EventStream = AsyncIterable<StanceEvent>;
