import { z } from 'zod';
import {
  CONFIDENCES,
  LINEAGE_KINDS,
  MILESTONE_KINDS,
  NEGOTIATION_STATUSES,
  PARTY_KINDS,
  POINT_CATEGORIES,
  POSITIONS,
  REVIEW_POLICIES,
  TIME_PRECISIONS,
} from './positions';
import { CitedSource, LanguageTag, SourceInput } from './sources';
import { Code, Color, DateInput, enumOf, Id, instantOf, LIMITS, LongText, PlainString, ShortText, Timestamp, Title, Url } from './primitives';

const ExpectedVersion = z
  .number({ error: 'must be an integer' })
  .int('must be an integer')
  .min(0, 'must be 0 or more')
  .describe('The version you last saw; the change is refused with 409 if it is no longer current.');

// ---------- negotiations ----------
const ReviewPolicyField = enumOf(REVIEW_POLICIES).describe(
  "`off` (default): a stance change is published when saved. `required`: an analyst's (or admin's) new stance or retraction becomes a proposal that another analyst or an admin must approve before viewers see it",
);

const RequireExpectedVersionField = z
  .boolean({ error: 'must be true or false' })
  .describe(
    '`true`: every stance write (POST …/stances, batch items, retract, correct, proposals) must carry expectedVersion (400 naming the field without it), and CSV stance imports are refused; `false` (default): expectedVersion is optional',
  );

export const NegotiationCreate = z.strictObject({
  title: Title,
  slug: Code.optional().describe('URL-friendly key, unique; derived from the title when omitted'),
  description: LongText.optional(),
  status: enumOf(NEGOTIATION_STATUSES).optional(),
  reviewPolicy: ReviewPolicyField.optional(),
  requireExpectedVersion: RequireExpectedVersionField.optional(),
});
export type NegotiationCreate = z.infer<typeof NegotiationCreate>;

export const NegotiationPatch = z.strictObject({
  title: Title.optional(),
  description: LongText.optional(),
  status: enumOf(NEGOTIATION_STATUSES).optional(),
  reviewPolicy: ReviewPolicyField.optional(),
  requireExpectedVersion: RequireExpectedVersionField.optional().describe('Admins only: see Negotiation.requireExpectedVersion'),
  expectedVersion: ExpectedVersion.optional(),
});
export type NegotiationPatch = z.infer<typeof NegotiationPatch>;

export const Negotiation = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  status: enumOf(NEGOTIATION_STATUSES),
  // Optional in the type: changes recorded before the policy existed replay without it (absent: off).
  reviewPolicy: ReviewPolicyField.optional(),
  // Optional in the type for the same reason (absent: false).
  requireExpectedVersion: RequireExpectedVersionField.optional(),
  seq: z.number().describe('The latest sequence number of this negotiation (its change counter)'),
  version: z.number(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Negotiation = z.infer<typeof Negotiation>;

// ---------- parties ----------
export const ActorInput = z.strictObject({
  id: Id.optional().describe('Existing actor to update; omit to add a new actor'),
  name: Title,
  role: ShortText.optional(),
});

export const PartyCreate = z.strictObject({
  code: Code.describe('Short unique key within the negotiation, e.g. RU'),
  name: Title,
  kind: enumOf(PARTY_KINDS).optional(),
  color: Color.optional(),
  parentId: Id.nullable().optional(),
  description: LongText.optional(),
  sortOrder: z.number().int().min(0).max(1_000_000).optional(),
  actors: z.array(ActorInput).max(LIMITS.listItems).optional(),
});
export type PartyCreate = z.infer<typeof PartyCreate>;

export const PartyPatch = z.strictObject({
  code: Code.optional(),
  name: Title.optional(),
  kind: enumOf(PARTY_KINDS).optional(),
  color: Color.optional(),
  parentId: Id.nullable().optional(),
  description: LongText.optional(),
  sortOrder: z.number().int().min(0).max(1_000_000).optional(),
  actors: z
    .array(ActorInput)
    .max(LIMITS.listItems)
    .optional()
    .describe('The full list of active actors; actors left out are retired (kept for history)'),
  expectedVersion: ExpectedVersion.optional(),
});
export type PartyPatch = z.infer<typeof PartyPatch>;

export const Actor = z.object({ id: z.string(), name: z.string(), role: z.string(), retired: z.boolean() });
export type Actor = z.infer<typeof Actor>;

export const Party = z.object({
  id: z.string(),
  negotiationId: z.string(),
  code: z.string(),
  name: z.string(),
  kind: enumOf(PARTY_KINDS),
  color: z.string(),
  parentId: z.string().nullable(),
  description: z.string(),
  sortOrder: z.number(),
  actors: z.array(Actor),
  version: z.number(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Party = z.infer<typeof Party>;

// ---------- points ----------
export const LineageInput = z.strictObject({
  pointId: Id,
  kind: enumOf(LINEAGE_KINDS),
});

export const PointCreate = z.strictObject({
  code: Code.optional().describe('Stable key within the negotiation; generated when omitted'),
  title: Title,
  category: enumOf(POINT_CATEGORIES),
  description: LongText.optional(),
  sortOrder: z.number().int().min(0).max(1_000_000).optional(),
  derivedFrom: z.array(LineageInput).max(50).optional().describe('Points this one was split from or merged from'),
});
export type PointCreate = z.infer<typeof PointCreate>;

export const PointPatch = z.strictObject({
  code: Code.optional(),
  title: Title.optional(),
  category: enumOf(POINT_CATEGORIES).optional(),
  description: LongText.optional(),
  sortOrder: z.number().int().min(0).max(1_000_000).optional(),
  derivedFrom: z.array(LineageInput).max(50).optional(),
  expectedVersion: ExpectedVersion.optional(),
});
export type PointPatch = z.infer<typeof PointPatch>;

export const Point = z.object({
  id: z.string(),
  negotiationId: z.string(),
  code: z.string(),
  title: z.string(),
  category: enumOf(POINT_CATEGORIES),
  description: z.string(),
  sortOrder: z.number(),
  derivedFrom: z.array(z.object({ pointId: z.string(), kind: enumOf(LINEAGE_KINDS) })),
  version: z.number(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Point = z.infer<typeof Point>;

// ---------- documents ----------
const ProvisionNumber = PlainString.trim().min(1, 'must not be empty').max(20, 'must be at most 20 characters');

export const ProvisionInput = z.strictObject({
  pointId: Id,
  number: ProvisionNumber,
  text: LongText,
});

export const DocumentCreate = z.strictObject({
  title: Title,
  shortTitle: PlainString.max(60, 'must be at most 60 characters').optional(),
  authorPartyId: Id.nullable().optional(),
  publishedAt: DateInput,
  description: LongText.optional(),
  sourceUrl: Url.optional(),
  provisions: z.array(ProvisionInput).max(LIMITS.listItems).optional(),
  basedOn: Id.optional().describe(
    'A document of this negotiation whose provisions (numbers and texts) the new one starts from; not together with `provisions`. Then edit them with PATCH …/documents/:id/provisions.',
  ),
});
export type DocumentCreate = z.infer<typeof DocumentCreate>;

export const DocumentPatch = z.strictObject({
  title: Title.optional(),
  shortTitle: PlainString.max(60, 'must be at most 60 characters').optional(),
  authorPartyId: Id.nullable().optional(),
  publishedAt: DateInput.optional(),
  description: LongText.optional(),
  sourceUrl: Url.nullable().optional(),
  provisions: z.array(ProvisionInput).max(LIMITS.listItems).optional().describe('Replaces all provisions'),
  expectedVersion: ExpectedVersion.optional(),
});
export type DocumentPatch = z.infer<typeof DocumentPatch>;

export const ProvisionEdit = z.strictObject({
  pointId: Id,
  number: ProvisionNumber.optional().describe('Its new number (required when the point has no provision in this document yet)'),
  text: LongText.optional().describe('Its new text (required when the point has no provision in this document yet)'),
});
export type ProvisionEdit = z.infer<typeof ProvisionEdit>;

/**
 * Provisions edited in place, in one request: renumber several at once (numbers may be swapped; only
 * the result must be unique), reword, add and remove. Their order follows their numbers.
 */
export const ProvisionsPatch = z.strictObject({
  set: z.array(ProvisionEdit).max(LIMITS.listItems).optional().describe("Provisions to change (number and/or text) or to add (number and text): one per point"),
  remove: z.array(Id).max(LIMITS.listItems).optional().describe('Points whose provision leaves this document'),
  expectedVersion: ExpectedVersion.optional(),
});
export type ProvisionsPatch = z.infer<typeof ProvisionsPatch>;

export const Provision = z.object({ pointId: z.string(), number: z.string(), text: z.string() });
export type Provision = z.infer<typeof Provision>;

export const PlanDocument = z.object({
  id: z.string(),
  negotiationId: z.string(),
  title: z.string(),
  shortTitle: z.string(),
  authorPartyId: z.string().nullable(),
  publishedAt: Timestamp,
  publishedPrecision: enumOf(TIME_PRECISIONS),
  description: z.string(),
  sourceUrl: z.string().nullable(),
  provisions: z.array(Provision),
  version: z.number(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type PlanDocument = z.infer<typeof PlanDocument>;

// ---------- milestones ----------
export const MilestoneCreate = z.strictObject({
  title: Title,
  kind: enumOf(MILESTONE_KINDS),
  startsAt: DateInput,
  endsAt: DateInput.optional(),
  description: LongText.optional(),
  sourceUrl: Url.optional(),
  partyIds: z.array(Id).max(LIMITS.listItems).optional(),
});
export type MilestoneCreate = z.infer<typeof MilestoneCreate>;

export const MilestonePatch = z.strictObject({
  title: Title.optional(),
  kind: enumOf(MILESTONE_KINDS).optional(),
  startsAt: DateInput.optional(),
  endsAt: DateInput.nullable().optional(),
  description: LongText.optional(),
  sourceUrl: Url.nullable().optional(),
  partyIds: z.array(Id).max(LIMITS.listItems).optional(),
  expectedVersion: ExpectedVersion.optional(),
});
export type MilestonePatch = z.infer<typeof MilestonePatch>;

export const Milestone = z.object({
  id: z.string(),
  negotiationId: z.string(),
  title: z.string(),
  kind: enumOf(MILESTONE_KINDS),
  startsAt: Timestamp,
  startsPrecision: enumOf(TIME_PRECISIONS),
  endsAt: z.string().nullable(),
  description: z.string(),
  sourceUrl: z.string().nullable(),
  partyIds: z.array(z.string()),
  version: z.number(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Milestone = z.infer<typeof Milestone>;

// ---------- stances ----------
/** The earliest effectiveAt accepted: an older one is a typo (and would stretch every chart). */
export const EARLIEST_EFFECTIVE_AT = '1900-01-01';
/**
 * How far after its recording a stance may take effect without being marked scheduled: a day covers
 * time zones ("today" in Tokyo) and clock skew. Beyond it, an effectiveAt is a typo (2031 for 2021
 * silently became a party's current stance) unless the write says `scheduled: true`.
 */
export const SCHEDULE_TOLERANCE_MS = 86_400_000;

/**
 * The time rules of a stance write, checked when the request arrives (`now`): no effectiveAt
 * before 1900; one more than a day ahead only as a scheduled position; a scheduled one in the future.
 */
export function effectiveAtProblem(effectiveAt: string, scheduled: boolean | undefined, now: number): { field: string; message: string } | null {
  const at = instantOf(effectiveAt);
  if (Number.isNaN(at)) return null; // DateInput reports it
  if (at < instantOf(EARLIEST_EFFECTIVE_AT)) return { field: 'effectiveAt', message: `must not be before ${EARLIEST_EFFECTIVE_AT}` };
  if (scheduled === true && at <= now) {
    return { field: 'scheduled', message: `is for a position that takes effect in the future; effectiveAt ${effectiveAt} is not after now (${new Date(now).toISOString()})` };
  }
  if (scheduled !== true && at > now + SCHEDULE_TOLERANCE_MS) {
    return {
      field: 'effectiveAt',
      message: `is more than a day after now (${new Date(now).toISOString()}): a typo? To record a position that takes effect later, send "scheduled": true`,
    };
  }
  return null;
}

/** A stance's fields (StanceCreate without the cell, so a correction can make the cell optional). */
const stanceFields = {
  position: enumOf(POSITIONS),
  confidence: enumOf(CONFIDENCES),
  effectiveAt: DateInput.describe(
    `When the party took the position: a day (YYYY-MM-DD) or an exact date-time; not before ${EARLIEST_EFFECTIVE_AT}, and at most a day after now unless scheduled`,
  ),
  scheduled: z
    .boolean({ error: 'must be true or false' })
    .optional()
    .describe('true: a position announced to take effect later (effectiveAt in the future); the matrix shows it as scheduled'),
  source: SourceInput.describe('The source cited: { id } of an existing source, or the inline fields (found or created); {} cites none'),
  conditions: z
    .strictObject({
      text: LongText.optional(),
      pointIds: z.array(Id).max(50).optional().describe('Points this stance depends on'),
    })
    .optional(),
  note: LongText.optional(),
  quote: LongText.optional().describe('The words as said, in their original language'),
  quoteLanguage: LanguageTag.optional().describe("The quote's language"),
  translation: LongText.optional().describe('The quote translated (needs a quote)'),
  translationLanguage: LanguageTag.optional().describe("The translation's language"),
  actorId: Id.optional(),
  documentId: Id.optional().describe('The plan version this stance reacts to'),
  milestoneId: Id.optional(),
};

/** The rules across a stance's fields (time, quote and translation). */
function stanceRules(
  s: { effectiveAt: string; scheduled?: boolean; quote?: string; quoteLanguage?: string; translation?: string; translationLanguage?: string },
  ctx: z.RefinementCtx,
): void {
  const problem = effectiveAtProblem(s.effectiveAt, s.scheduled, Date.now());
  if (problem) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
  for (const [field, needs] of [['quoteLanguage', 'quote'], ['translation', 'quote'], ['translationLanguage', 'translation']] as const) {
    if (s[field] !== undefined && s[needs] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `needs a ${needs}` });
  }
}

export const StanceCreate = z
  .strictObject({
    partyId: Id,
    pointId: Id,
    ...stanceFields,
    expectedVersion: ExpectedVersion.optional().describe(
      "The cell version you last saw (0 for a cell with no events); 409 with the current stance if it changed. Required when the negotiation's requireExpectedVersion is on",
    ),
  })
  .superRefine(stanceRules);
export type StanceCreate = z.infer<typeof StanceCreate>;

const RetractionReason = PlainString.trim().min(1, 'must not be empty').max(LIMITS.shortText, `must be at most ${LIMITS.shortText} characters`);

/**
 * `POST …/stances/:eventId/correct`: retract the event and record this stance instead, in one
 * transaction and one change (`stance.corrected`). The new stance's fields as for `POST …/stances`;
 * its cell is the event's (partyId/pointId may be omitted, and if given must be the event's).
 */
export const StanceCorrect = z
  .strictObject({
    partyId: Id.optional().describe("The event's party (optional: a correction stays on the event's cell)"),
    pointId: Id.optional().describe("The event's point (optional: a correction stays on the event's cell)"),
    ...stanceFields,
    reason: RetractionReason.describe('Why the event is retracted (kept with the retraction)'),
    expectedVersion: ExpectedVersion.describe(
      "The cell's version you last saw (required): the correction is refused with 409 and the current stance if the cell changed",
    ),
  })
  .superRefine(stanceRules);
export type StanceCorrect = z.infer<typeof StanceCorrect>;

export const StanceBatch = z.strictObject({
  events: z
    .array(StanceCreate)
    .min(1, 'must contain at least one event')
    .max(LIMITS.batchItems, `must contain at most ${LIMITS.batchItems} events`),
});
export type StanceBatch = z.infer<typeof StanceBatch>;

export const RetractInput = z.strictObject({
  reason: RetractionReason,
  expectedVersion: ExpectedVersion.optional().describe(
    "The cell's version you last saw; 409 with the current stance if it changed. Required when the negotiation's requireExpectedVersion is on",
  ),
});
export type RetractInput = z.infer<typeof RetractInput>;

export const Retraction = z.object({
  id: z.string(),
  seq: z.number(),
  reason: z.string(),
  recordedAt: Timestamp,
  recordedBy: z.string(),
});

export const StanceEvent = z.object({
  id: z.string(),
  negotiationId: z.string(),
  seq: z.number(),
  partyId: z.string(),
  pointId: z.string(),
  position: enumOf(POSITIONS),
  score: z.number(),
  confidence: enumOf(CONFIDENCES),
  effectiveAt: Timestamp,
  effectivePrecision: enumOf(TIME_PRECISIONS),
  recordedAt: Timestamp,
  recordedBy: z.string(),
  approvedBy: z.string().optional().describe('Who approved the proposal this event was published from (review policy `required`); absent when published as saved'),
  scheduled: z.boolean().describe('Recorded as a scheduled position: effectiveAt more than a day after recordedAt'),
  source: CitedSource,
  conditions: z.object({ text: z.string().nullable(), pointIds: z.array(z.string()) }),
  note: z.string().nullable(),
  quote: z.string().nullable(),
  quoteLanguage: z.string().nullable(),
  translation: z.string().nullable(),
  translationLanguage: z.string().nullable(),
  actorId: z.string().nullable(),
  documentId: z.string().nullable(),
  milestoneId: z.string().nullable(),
  retraction: Retraction.nullable(),
});
export type StanceEvent = z.infer<typeof StanceEvent>;

export const RecordStanceResult = z.object({
  event: StanceEvent,
  cell: z.object({
    partyId: z.string(),
    pointId: z.string(),
    version: z.number(),
    current: StanceEvent.nullable(),
  }),
});
export type RecordStanceResult = z.infer<typeof RecordStanceResult>;

/**
 * A correction's answer (and its `stance.corrected` change): the event retracted (with its
 * retraction), the new event, and the cell after both — one version step of two (a retraction and
 * an event), one sequence number.
 */
export const CorrectStanceResult = RecordStanceResult.extend({
  retracted: StanceEvent.describe('The event corrected, with its retraction (same seq as the new event)'),
});
export type CorrectStanceResult = z.infer<typeof CorrectStanceResult>;

export const BatchResult = z.object({ results: z.array(RecordStanceResult) });
export type BatchResult = z.infer<typeof BatchResult>;

/**
 * A batch's answer when the request says `Prefer: return=minimal` (RFC 7240): per item, what a bulk
 * loader keeps — the new event's id and number, and the cell's version and current event — without
 * the events themselves (about a tenth of the bytes).
 */
export const BatchItemSummary = z.object({
  eventId: z.string(),
  seq: z.number(),
  partyId: z.string(),
  pointId: z.string(),
  version: z.number().describe("The cell's version after this item (for expectedVersion)"),
  currentEventId: z.string().nullable().describe('The event in force in the cell after this item (not this one when it was back-dated)'),
});
export type BatchItemSummary = z.infer<typeof BatchItemSummary>;
export const BatchSummary = z.object({ results: z.array(BatchItemSummary) });
export type BatchSummary = z.infer<typeof BatchSummary>;

export function summarizeBatch(result: BatchResult): BatchSummary {
  return {
    results: result.results.map(({ event, cell }) => ({
      eventId: event.id,
      seq: event.seq,
      partyId: cell.partyId,
      pointId: cell.pointId,
      version: cell.version,
      currentEventId: cell.current?.id ?? null,
    })),
  };
}
