import { z } from 'zod';
import { LINEAGE_KINDS, POSITIONS } from './positions';
import { DateInput, enumOf, LIMITS, PartyRef, PointRef } from './primitives';
import { StanceEvent } from './schemas';

/*
 * Lineage that carries (issue 18, item 6): a point split or merged from others (`derivedFrom`)
 * inherits their history, and the analyst may carry the parents' current stances to it.
 */

const PointNamed = z.object({ id: z.string(), code: z.string(), title: z.string() });

/**
 * The history a point inherits from one ancestor: that ancestor's texts and stance events from
 * before the point derived from it was first tabled, marked with the ancestor's code.
 */
export const InheritedHistory = z.object({
  from: PointNamed.describe('The ancestor (a derivedFrom parent, or a parent of one)'),
  kind: enumOf(LINEAGE_KINDS).describe('How `via` derives from it: split, merge or reworded'),
  via: PointNamed.describe('The point derived from it: the point asked for, or an ancestor in between'),
  before: z
    .string()
    .nullable()
    .describe("Entries from before this instant: when `via` (or a point derived from it) was first tabled, i.e. the earliest date of a document holding it; null: it is in no document, so everything"),
  provisions: z.array(z.object({ documentId: z.string(), documentTitle: z.string(), publishedAt: z.string(), number: z.string(), text: z.string() })),
  events: z.array(StanceEvent).describe('Stance events on the ancestor effective before `before` (the same partyId and knownAt filters)'),
});
export type InheritedHistory = z.infer<typeof InheritedHistory>;

export const CarryChoice = z.strictObject({
  partyId: PartyRef,
  fromPointId: PointRef.describe("The parent whose current stance to carry for this party (needed when the parents' positions differ)"),
});
export type CarryChoice = z.infer<typeof CarryChoice>;

export const CarryStancesInput = z.strictObject({
  parties: z
    .array(PartyRef)
    .min(1, 'must name at least one party')
    .max(LIMITS.listItems, `must name at most ${LIMITS.listItems} parties`)
    .optional()
    .describe('The parties whose stances to carry (default: every party)'),
  choices: z
    .array(CarryChoice)
    .max(LIMITS.listItems, `must hold at most ${LIMITS.listItems} choices`)
    .optional()
    .describe('Per party, the parent to carry from; required for a party whose parents hold different positions'),
  effectiveAt: DateInput.optional().describe(
    "When the carried stances take effect (default: per party, the later of the parent stance's date and the point's first tabling, at most now)",
  ),
  dryRun: z.boolean({ error: 'must be true or false' }).optional().describe('true: answer the plan (200) and write nothing'),
});
export type CarryStancesInput = z.infer<typeof CarryStancesInput>;

export const CARRY_STATUSES = ['planned', 'recorded', 'proposed', 'skipped', 'choice_required'] as const;
export type CarryStatus = (typeof CARRY_STATUSES)[number];

export const CarryCandidate = z.object({
  pointId: z.string(),
  pointCode: z.string(),
  eventId: z.string(),
  position: enumOf(POSITIONS),
  effectiveAt: z.string(),
});
export type CarryCandidate = z.infer<typeof CarryCandidate>;

export const CarryItem = z.object({
  partyId: z.string(),
  status: enumOf(CARRY_STATUSES).describe(
    'planned (dryRun), recorded, proposed (review required), skipped (see reason), choice_required (parents differ and no choice was given)',
  ),
  reason: z.string().nullable(),
  from: CarryCandidate.nullable().describe('The parent stance carried (or to be carried)'),
  candidates: z.array(CarryCandidate).describe("Every parent's current stance of this party"),
  effectiveAt: z.string().nullable(),
  event: StanceEvent.nullable().describe('status recorded: the event on the point'),
  proposalId: z.string().nullable().describe('status proposed: the proposal waiting for review'),
});
export type CarryItem = z.infer<typeof CarryItem>;

export const CarryStancesResult = z.object({
  pointId: z.string(),
  dryRun: z.boolean(),
  reviewRequired: z.boolean(),
  items: z.array(CarryItem),
});
export type CarryStancesResult = z.infer<typeof CarryStancesResult>;
