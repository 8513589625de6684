import type { Source } from './sources';
import type { CorrectStanceResult, Milestone, Negotiation, Party, PlanDocument, Point, RecordStanceResult } from './schemas';

/**
 * Every change to a negotiation takes the next sequence number and is kept in its change log.
 * The live socket (and "changes since") stream these entries in order.
 */
export const CHANGE_KINDS = [
  'negotiation.created',
  'negotiation.updated',
  'party.created',
  'party.updated',
  'point.created',
  'point.updated',
  'document.created',
  'document.updated',
  'milestone.created',
  'milestone.updated',
  'source.created',
  'source.updated',
  'stance.recorded',
  'stance.retracted',
  'stance.corrected',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/**
 * What each kind of change carries in `data`: the entity after the change, exactly as the HTTP API
 * returns it (for stances: the event and the cell it leaves, as `POST …/stances` and `…/retract`
 * answer). A client applies a change without another request.
 */
export interface ChangePayloads {
  'negotiation.created': Negotiation;
  'negotiation.updated': Negotiation;
  'party.created': Party;
  'party.updated': Party;
  'point.created': Point;
  'point.updated': Point;
  'document.created': PlanDocument;
  'document.updated': PlanDocument;
  'milestone.created': Milestone;
  'milestone.updated': Milestone;
  'source.created': Source;
  'source.updated': Source;
  'stance.recorded': RecordStanceResult;
  'stance.retracted': RecordStanceResult;
  /**
   * A one-step correction (`POST …/stances/:eventId/correct`): the retraction of `retracted` and the
   * recording of `event`, in one change (one seq: the retraction's and the new event's), `cell` after
   * both. Apply it as one step: a viewer never sees the cell between them.
   */
  'stance.corrected': CorrectStanceResult;
}

interface ChangeOf<K extends ChangeKind> {
  negotiationId: string;
  seq: number;
  kind: K;
  entityId: string;
  recordedAt: string;
  recordedBy: string;
  /** The entity after the change (a kind without a payload type here does not compile). */
  data: ChangePayloads[K];
}

/**
 * One change, discriminated by `kind`: `switch (entry.kind)` narrows `data` to that kind's payload.
 * `ChangeEntry<'stance.recorded'>` is one kind's entry.
 */
export type ChangeEntry<K extends ChangeKind = ChangeKind> = { [P in K]: ChangeOf<P> }[K];
