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
  'stance.recorded',
  'stance.retracted',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface ChangeEntry<T = unknown> {
  negotiationId: string;
  seq: number;
  kind: ChangeKind;
  entityId: string;
  recordedAt: string;
  recordedBy: string;
  /** The entity after the change (for stances: the event and the new cell). */
  data: T;
}
