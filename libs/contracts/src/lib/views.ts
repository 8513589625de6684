import { z } from 'zod';
import { enumOf } from './primitives';
import { POINT_CATEGORIES } from './positions';
import { STEPS } from './queries';
import { StanceEvent } from './schemas';

/*
 * The read views (matrix, metrics, changes, point history, document comparison) as zod schemas, so
 * OpenAPI documents each response from the same definition the API and the dashboard type-check
 * against. The types are inferred from the schemas: one definition of each shape.
 */

const Count = z.number().int().min(0);

const PointRef = z.object({ id: z.string(), code: z.string(), title: z.string(), category: enumOf(POINT_CATEGORIES) });

/**
 * How many independent outlets support a cell's stance in force: the sources of its run (the visible,
 * unretracted events with that position since the last visible event with another one). Rule and
 * definition: libs/domain corroboration.ts.
 */
export const Corroboration = z.object({
  outlets: Count.describe('Distinct outlets (case and spaces ignored) among the sources of the events supporting the stance in force'),
  sources: Count.describe('Distinct sources cited by those events, with or without an outlet'),
  corroborated: z.boolean().describe('At least two independent outlets (two articles of one outlet count once)'),
});
export type Corroboration = z.infer<typeof Corroboration>;

/** One cell of the matrix: a (party, point) pair. Absent from `cells` = no event ever (version 0). */
export const MatrixCell = z.object({
  /** The cell's current version (use it as `expectedVersion`); counts every event and retraction on it. */
  version: Count.describe("The cell's current version (use it as expectedVersion); counts every event and retraction on it"),
  /** The stance in force for the requested asOf/knownAt, or null: no stated position. */
  stance: StanceEvent.nullable().describe('The stance in force for the requested asOf/knownAt; null: no stated position'),
  /** Who supports that stance (all zero when there is none). */
  corroboration: Corroboration.describe('Independent outlets and sources supporting the stance in force (all zero without one)'),
});
export type MatrixCell = z.infer<typeof MatrixCell>;

export const PointMetrics = z.object({
  pointId: z.string(),
  /** Parties with a stated position. */
  stated: Count.describe('Parties with a stated position'),
  /** Ids of parties with no stated position. */
  silent: z.array(z.string()).describe('Ids of parties with no stated position'),
  /** Every party with a stated position is at least `conditional` (and at least one stated). */
  agreed: z.boolean().describe('Every party with a stated position is at least conditional (and at least one stated)'),
  /** Some party holds a red line. */
  blocked: z.boolean().describe('Some party holds a red line'),
  /** max − min score over stated positions; null when nobody stated a position. */
  spread: z.number().int().nullable().describe('max − min score over stated positions; null when nobody stated a position'),
  minScore: z.number().int().nullable(),
  maxScore: z.number().int().nullable(),
});
export type PointMetrics = z.infer<typeof PointMetrics>;

export const MatrixRow = z.object({
  point: PointRef,
  /** Number of the point in the chosen document (null: not in it, or no document chosen). */
  number: z.string().nullable().describe('Number of the point in the chosen document (null: not in it, or no document chosen)'),
  /** Text of the provision in the chosen document. */
  text: z.string().nullable().describe('Text of the provision in the chosen document'),
  cells: z.record(z.string(), MatrixCell).describe('By party id; a party absent here has never had an event on the point'),
  summary: PointMetrics,
});
export type MatrixRow = z.infer<typeof MatrixRow>;

export const MatrixView = z.object({
  negotiationId: z.string(),
  /** Latest sequence number at the time of the query (for "changes since"). */
  seq: Count.describe('Latest sequence number at the time of the query (for "changes since" and live replay)'),
  asOf: z.string().nullable(),
  knownAt: z.string().nullable(),
  documentId: z.string().nullable(),
  parties: z.array(z.object({ id: z.string(), code: z.string(), name: z.string(), color: z.string(), parentId: z.string().nullable() })),
  rows: z.array(MatrixRow),
});
export type MatrixView = z.infer<typeof MatrixView>;

export const PairDistance = z.object({
  a: z.string(),
  b: z.string(),
  /** Mean absolute score difference over points both addressed; null if none. */
  distance: z.number().nullable().describe('Mean absolute score difference over points both addressed; null if none'),
  sharedPoints: Count,
});
export type PairDistance = z.infer<typeof PairDistance>;

export const ConvergencePoint = z.object({
  date: z.string(),
  agreed: Count,
  blocked: Count,
  /** Points with at least one stated position. */
  addressed: Count.describe('Points with at least one stated position'),
  points: Count,
});
export type ConvergencePoint = z.infer<typeof ConvergencePoint>;

export const MetricsView = z.object({
  negotiationId: z.string(),
  asOf: z.string().nullable(),
  knownAt: z.string().nullable(),
  totals: z.object({ points: Count, agreed: Count, blocked: Count, agreedShare: z.number() }),
  points: z.array(PointMetrics),
  distances: z.array(PairDistance),
  step: enumOf(STEPS).describe('Spacing of the series: the one asked for, or the finest that fits the range'),
  series: z.array(ConvergencePoint),
});
export type MetricsView = z.infer<typeof MetricsView>;

export const DIFF_OPS = ['equal', 'insert', 'delete'] as const;
export type DiffOp = (typeof DIFF_OPS)[number];
export const DiffPart = z.object({ op: enumOf(DIFF_OPS), text: z.string() });
export type DiffPart = z.infer<typeof DiffPart>;

export const COMPARE_STATUSES = ['same', 'changed', 'only_a', 'only_b'] as const;
export type CompareStatus = (typeof COMPARE_STATUSES)[number];

const ProvisionText = z.object({ number: z.string(), text: z.string() });

export const CompareRow = z.object({
  pointId: z.string(),
  pointTitle: z.string(),
  status: enumOf(COMPARE_STATUSES),
  renumbered: z.boolean(),
  a: ProvisionText.nullable(),
  b: ProvisionText.nullable(),
  /** Word-level differences from a's text to b's text. */
  diff: z.array(DiffPart).describe("Word-level differences from a's text to b's text"),
  /** Lineage links of this point (split/merge) to points of the other document. */
  lineage: z.array(z.object({ pointId: z.string(), kind: z.string() })).describe('Lineage links of this point (split/merge) to points of the other document'),
});
export type CompareRow = z.infer<typeof CompareRow>;

export const CompareView = z.object({
  a: z.object({ id: z.string(), title: z.string() }),
  b: z.object({ id: z.string(), title: z.string() }),
  rows: z.array(CompareRow),
  // An object with one key per status (rather than z.record) so OpenAPI 3.0 can list them.
  summary: z.object({ same: Count, changed: Count, only_a: Count, only_b: Count }),
});
export type CompareView = z.infer<typeof CompareView>;

export const ChangeItem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stance.recorded'), seq: Count, recordedAt: z.string(), event: StanceEvent }),
  z.object({ kind: z.literal('stance.retracted'), seq: Count, recordedAt: z.string(), event: StanceEvent, reason: z.string() }),
  z
    .object({
      kind: z.literal('stance.corrected'),
      seq: Count,
      recordedAt: z.string(),
      event: StanceEvent.describe('The new event'),
      retracted: StanceEvent.describe('The event it corrects, with its retraction'),
      reason: z.string(),
    })
    .describe('A one-step correction: the retraction and the new event in one change'),
]);
export type ChangeItem = z.infer<typeof ChangeItem>;

export const ChangesPage = z.object({
  items: z.array(ChangeItem),
  /** Pass as `sinceSeq` to get the next page; null when this page is the last. */
  nextSinceSeq: Count.nullable().describe('Pass as sinceSeq to get the next page; null when this page is the last'),
  seq: Count,
});
export type ChangesPage = z.infer<typeof ChangesPage>;

export const PointHistory = z.object({
  point: PointRef,
  provisions: z.array(z.object({ documentId: z.string(), documentTitle: z.string(), publishedAt: z.string(), number: z.string(), text: z.string() })),
  events: z.array(StanceEvent),
});
export type PointHistory = z.infer<typeof PointHistory>;

export const HealthView = z.object({
  status: z.enum(['ok', 'error']),
  database: z.enum(['up', 'down']),
  migrations: z.object({ applied: Count, pending: Count }),
  driver: z.enum(['sqlite', 'postgres']),
  uptimeSeconds: Count,
});
export type HealthView = z.infer<typeof HealthView>;

export const LivenessView = z.object({ status: z.literal('ok'), uptimeSeconds: Count });
export type LivenessView = z.infer<typeof LivenessView>;

export const ReadinessView = z.object({
  status: z.enum(['ok', 'error']),
  checks: z
    .object({
      database: z.enum(['up', 'down']),
      migrations: z.enum(['applied', 'pending']),
      redis: z.enum(['up', 'down']).optional().describe('Only when REDIS_URL is set'),
      shutdown: z.enum(['running', 'stopping']),
    })
    .describe('Every check; status is ok when each one is up, applied or running'),
});
export type ReadinessView = z.infer<typeof ReadinessView>;


/** Every stance event citing one source, newest recorded first (retracted ones too, with their retraction). */
export const SourceStancesPage = z.object({
  sourceId: z.string(),
  items: z.array(StanceEvent),
  nextBeforeSeq: Count.nullable().describe('Pass as beforeSeq to get the next page; null when this page is the last'),
});
export type SourceStancesPage = z.infer<typeof SourceStancesPage>;
