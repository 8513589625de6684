import { z } from 'zod';
import { DateInput, DocumentRef, enumOf, Id, LIMITS, PartyRef, PointRef } from './primitives';

/*
 * The query strings of the read endpoints (matrix, changes, metrics, comparison, point history).
 */

export const MatrixQuery = z.strictObject({
  asOf: DateInput.optional().describe('Positions as the sources say they were at this time (a day means its end)'),
  knownAt: DateInput.optional().describe('Only what Parley had recorded by this time (a day means its end)'),
  documentId: DocumentRef.optional().describe(
    "Scope to this document: only the points it has a provision for, numbered and ordered as in it (id or code; 400 if it is not the negotiation's)",
  ),
});
export type MatrixQuery = z.infer<typeof MatrixQuery>;

/** Points, parties and documents as they were: absent if not yet tabled by asOf or not yet known at knownAt. */
export const PlanQuery = z.strictObject({
  asOf: DateInput.optional().describe('As the plan stood at this time (a day means its end): titles, texts and the set tabled by then'),
  knownAt: DateInput.optional().describe('Only what Parley had recorded by this time (a day means its end)'),
});
export type PlanQuery = z.infer<typeof PlanQuery>;

const SeqParam = z.coerce
  .number({ error: 'must be an integer' })
  .int('must be an integer')
  .min(0, 'must be 0 or more');

export const ChangesQuery = z.strictObject({
  since: DateInput.optional().describe('Recorded after this time; a day (YYYY-MM-DD) includes that whole day'),
  until: DateInput.optional().describe('Recorded at or before this time; a day includes that whole day'),
  effectiveFrom: DateInput.optional().describe('Effective at or after this time; a day includes that whole day'),
  effectiveTo: DateInput.optional().describe('Effective at or before this time; a day includes that whole day. Before effectiveFrom is a 400'),
  sinceSeq: SeqParam.optional().describe('Only changes with a higher sequence number'),
  partyId: PartyRef.optional().describe('Only this party (id or code)'),
  pointId: PointRef.optional().describe('Only this point (id or code)'),
  milestoneId: Id.optional().describe('Only events linked to this milestone'),
  limit: z.coerce
    .number({ error: 'must be an integer' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(LIMITS.pageSize, `must be at most ${LIMITS.pageSize}`)
    .optional(),
});
export type ChangesQuery = z.infer<typeof ChangesQuery>;

/** Steps of a metrics series, finest first. */
export const STEPS = ['day', 'week', 'month', 'year'] as const;
export const MetricsQuery = z.strictObject({
  from: DateInput.optional().describe('First day of the series (default: the earliest stance)'),
  to: DateInput.optional().describe('Last day of the series (default: asOf, else now)'),
  step: enumOf(STEPS)
    .optional()
    .describe('Spacing of the series; by default the finest of day, week, month, year that gives at most 3,660 points'),
  asOf: DateInput.optional(),
  knownAt: DateInput.optional(),
  documentId: Id.optional().describe(
    "Scope to this document: only the points it has a provision for, and the series from its publication date unless from is given (400 if it is not the negotiation's)",
  ),
});
export type MetricsQuery = z.infer<typeof MetricsQuery>;

export const CompareQuery = z.strictObject({ a: DocumentRef, b: DocumentRef });
export type CompareQuery = z.infer<typeof CompareQuery>;

export const HistoryQuery = z.strictObject({
  partyId: PartyRef.optional().describe('Only this party (id or code)'),
  knownAt: DateInput.optional(),
});
export type HistoryQuery = z.infer<typeof HistoryQuery>;

export const SourceStancesQuery = z.strictObject({
  beforeSeq: SeqParam.optional().describe('Only events recorded before this sequence number (the next page: nextBeforeSeq of the last one)'),
  limit: z.coerce
    .number({ error: 'must be an integer' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(LIMITS.pageSize, `must be at most ${LIMITS.pageSize}`)
    .optional()
    .describe(`Events per page (default 200, at most ${LIMITS.pageSize})`),
});
export type SourceStancesQuery = z.infer<typeof SourceStancesQuery>;
