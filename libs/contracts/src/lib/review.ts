import { z } from 'zod';
import { enumOf, Id, LIMITS, PlainString, Timestamp } from './primitives';
import { RecordStanceResult, RetractInput, StanceCreate, StanceEvent } from './schemas';

/*
 * Review before publish (issue 17). Under a negotiation's review policy `required`, a new stance or
 * a retraction (a correction) by an analyst or an admin is kept as a proposal — in its own table,
 * never a stance event, so nothing public sees it — until another analyst or an admin decides.
 */

/**
 * What a proposal would publish: a new stance event, the retraction of an event, or a correction
 * (the retraction of an event and a new stance on its cell, published as one change).
 */
export const PROPOSAL_KINDS = ['stance', 'retraction', 'correction'] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

/** open → (changes_requested → open)* → approved | rejected. */
export const PROPOSAL_STATUSES = ['open', 'changes_requested', 'approved', 'rejected'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export const DECISIONS = ['approve', 'reject', 'request_changes'] as const;
export type Decision = (typeof DECISIONS)[number];

const Note = PlainString.trim().min(1, 'must not be empty').max(LIMITS.shortText, `must be at most ${LIMITS.shortText} characters`);

export const Proposal = z.object({
  id: z.string(),
  negotiationId: z.string(),
  kind: enumOf(PROPOSAL_KINDS),
  status: enumOf(PROPOSAL_STATUSES),
  partyId: z.string(),
  pointId: z.string(),
  baseVersion: z.number().describe("The cell's version when the proposal was made (or last re-based)"),
  stance: StanceCreate.nullable().describe('kinds stance and correction: the stance as it would be recorded'),
  retraction: z
    .object({ eventId: z.string(), reason: z.string() })
    .nullable()
    .describe('kinds retraction and correction: the event retracted and the reason'),
  author: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.number().describe('Goes up with every edit and decision: the optimistic-lock token of the proposal'),
  decision: z
    .object({ decision: enumOf(DECISIONS), by: z.string(), at: Timestamp, note: z.string().nullable() })
    .nullable()
    .describe('The latest decision: a rejection’s reason and a request for changes’ note are for the author'),
  published: z
    .object({ eventId: z.string(), seq: z.number() })
    .nullable()
    .describe('Once approved: the stance event published (a retraction: the event retracted; a correction: the new event) and the change’s sequence number'),
});
export type Proposal = z.infer<typeof Proposal>;

export const ProposalPage = z.object({
  items: z.array(Proposal),
  nextBefore: z.string().nullable().describe('Pass as before for the next (older) page; null on the last'),
});
export type ProposalPage = z.infer<typeof ProposalPage>;

export const ProposalQuery = z.strictObject({
  status: enumOf(PROPOSAL_STATUSES).optional(),
  author: PlainString.max(LIMITS.shortText).optional().describe("The author's email"),
  partyId: Id.optional(),
  pointId: Id.optional(),
  before: Id.optional().describe('A proposal id: only older ones (paging)'),
  limit: z.coerce
    .number({ error: 'must be an integer' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(LIMITS.pageSize, `must be at most ${LIMITS.pageSize}`)
    .optional(),
});
export type ProposalQuery = z.infer<typeof ProposalQuery>;

/** The author's edit after a request for changes: the whole new stance (or reason; a correction: either or both); back to open. */
export const ProposalEdit = z.strictObject({
  stance: StanceCreate.optional(),
  reason: RetractInput.shape.reason.optional(),
  expectedVersion: z.number({ error: 'must be an integer' }).int('must be an integer').min(0, 'must be 0 or more').optional(),
});
export type ProposalEdit = z.infer<typeof ProposalEdit>;

export const ProposalDecisionInput = z
  .strictObject({
    decision: enumOf(DECISIONS),
    note: Note.optional().describe('Required to reject (the reason) and to ask for changes; the author sees it'),
    rebase: z
      .boolean({ error: 'must be true or false' })
      .optional()
      .describe("Approve against the cell's current version even if it changed since the proposal was made"),
    baseVersion: z
      .number({ error: 'must be an integer' })
      .int('must be an integer')
      .min(0, 'must be 0 or more')
      .optional()
      .describe("Approve against this cell version (the one a 409 showed): refused again if the cell moved on"),
  })
  .superRefine((v, ctx) => {
    if ((v.decision === 'reject' || v.decision === 'request_changes') && v.note === undefined) {
      ctx.addIssue({ code: 'custom', path: ['note'], message: `is required to ${v.decision === 'reject' ? 'reject (the reason)' : 'ask for changes'}` });
    }
    if (v.decision !== 'approve' && (v.rebase !== undefined || v.baseVersion !== undefined)) {
      ctx.addIssue({ code: 'custom', path: [v.rebase !== undefined ? 'rebase' : 'baseVersion'], message: 'only with decision approve' });
    }
  });
export type ProposalDecisionInput = z.infer<typeof ProposalDecisionInput>;

/**
 * A decision's answer: the proposal after it, and on approval the change published (the event or
 * retraction and the cell; a correction's also carries `retracted`, as CorrectStanceResult).
 */
export const ProposalDecisionResult = z.object({
  proposal: Proposal,
  published: RecordStanceResult.extend({ retracted: StanceEvent.optional().describe('A correction: the event it retracted') }).nullable(),
});
export type ProposalDecisionResult = z.infer<typeof ProposalDecisionResult>;

/** A 409 on approval when the cell changed since the proposal's base: both sides, for the reviewer. */
export const ReviewConflict = z.object({
  proposal: Proposal,
  cell: z.object({ partyId: z.string(), pointId: z.string(), version: z.number(), current: StanceEvent.nullable() }),
});
export type ReviewConflict = z.infer<typeof ReviewConflict>;

export const REVIEW_ENTRY_KINDS = ['proposal.created', 'proposal.updated', 'proposal.decided'] as const;
export type ReviewEntryKind = (typeof REVIEW_ENTRY_KINDS)[number];

/**
 * The staff stream (socket event `proposals`, after `joinReview`): every proposal event of a
 * negotiation, numbered by its own gap-free counter (not the public `seq`), replayed after `sinceSeq`.
 */
export interface ReviewEntry {
  negotiationId: string;
  seq: number;
  kind: ReviewEntryKind;
  proposalId: string;
  recordedAt: string;
  recordedBy: string;
  /** The proposal after the event. */
  data: Proposal;
}
