import type { PointCategory, Position, TimePrecision } from './positions';
import type { StanceEvent } from './schemas';

/** One cell of the matrix: a (party, point) pair. Absent from `cells` = no event ever (version 0). */
export interface MatrixCell {
  /** The cell's current version (use it as `expectedVersion`); counts every event and retraction on it. */
  version: number;
  /** The stance in force for the requested asOf/knownAt, or null: no stated position. */
  stance: StanceEvent | null;
}

export interface PointMetrics {
  pointId: string;
  /** Parties with a stated position. */
  stated: number;
  /** Ids of parties with no stated position. */
  silent: string[];
  /** Every party with a stated position is at least `conditional` (and at least one stated). */
  agreed: boolean;
  /** Some party holds a red line. */
  blocked: boolean;
  /** max − min score over stated positions; null when nobody stated a position. */
  spread: number | null;
  minScore: number | null;
  maxScore: number | null;
}

export interface MatrixRow {
  point: { id: string; code: string; title: string; category: PointCategory };
  /** Number of the point in the chosen document (null: not in it, or no document chosen). */
  number: string | null;
  /** Text of the provision in the chosen document. */
  text: string | null;
  cells: Record<string, MatrixCell>;
  summary: PointMetrics;
}

export interface MatrixView {
  negotiationId: string;
  /** Latest sequence number at the time of the query (for "changes since"). */
  seq: number;
  asOf: string | null;
  knownAt: string | null;
  documentId: string | null;
  parties: { id: string; code: string; name: string; color: string; parentId: string | null }[];
  rows: MatrixRow[];
}

export interface PairDistance {
  a: string;
  b: string;
  /** Mean absolute score difference over points both addressed; null if none. */
  distance: number | null;
  sharedPoints: number;
}

export interface ConvergencePoint {
  date: string;
  agreed: number;
  blocked: number;
  /** Points with at least one stated position. */
  addressed: number;
  points: number;
}

export interface MetricsView {
  negotiationId: string;
  asOf: string | null;
  knownAt: string | null;
  totals: { points: number; agreed: number; blocked: number; agreedShare: number };
  points: PointMetrics[];
  distances: PairDistance[];
  series: ConvergencePoint[];
}

export type DiffOp = 'equal' | 'insert' | 'delete';
export interface DiffPart {
  op: DiffOp;
  text: string;
}

export type CompareStatus = 'same' | 'changed' | 'only_a' | 'only_b';
export interface CompareRow {
  pointId: string;
  pointTitle: string;
  status: CompareStatus;
  renumbered: boolean;
  a: { number: string; text: string } | null;
  b: { number: string; text: string } | null;
  /** Word-level differences from a's text to b's text. */
  diff: DiffPart[];
  /** Lineage links of this point (split/merge) to points of the other document. */
  lineage: { pointId: string; kind: string }[];
}

export interface CompareView {
  a: { id: string; title: string };
  b: { id: string; title: string };
  rows: CompareRow[];
  summary: Record<CompareStatus, number>;
}

export interface ChangesPage {
  items: ChangeItem[];
  /** Pass as `sinceSeq` to get the next page; null when this page is the last. */
  nextSinceSeq: number | null;
  seq: number;
}

export type ChangeItem =
  | { kind: 'stance.recorded'; seq: number; recordedAt: string; event: StanceEvent }
  | { kind: 'stance.retracted'; seq: number; recordedAt: string; event: StanceEvent; reason: string };

export interface PointHistory {
  point: { id: string; code: string; title: string; category: PointCategory };
  provisions: { documentId: string; documentTitle: string; publishedAt: string; number: string; text: string }[];
  events: StanceEvent[];
}

export interface HealthView {
  status: 'ok' | 'error';
  database: 'up' | 'down';
  migrations: { applied: number; pending: number };
  driver: 'sqlite' | 'postgres';
  uptimeSeconds: number;
}

export interface TimedPosition {
  position: Position;
  precision: TimePrecision;
}
