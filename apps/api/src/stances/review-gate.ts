import type { Proposal, RetractInput, StanceCreate } from '@parley/contracts';

/**
 * What a stance change becomes when its negotiation requires review: a proposal instead of an
 * event. review/ (which stands above stances/) provides it when its module starts; each method
 * answers null when the negotiation publishes directly (policy `off`), and the write goes on as
 * ever. References have been checked before it is asked.
 */
export interface ReviewGate {
  stance(negotiationId: string, input: StanceCreate, author: string): Promise<Proposal | null>;
  retraction(eventId: string, input: RetractInput, author: string): Promise<Proposal | null>;
  /** A one-step correction: retract `eventId`, record `input` (on its cell) — one proposal of kind `correction`. */
  correction(negotiationId: string, eventId: string, input: StanceCreate, reason: string, author: string): Promise<Proposal | null>;
  /** Refuses (409 REVIEW_REQUIRED) a write of many stances at once into a negotiation that requires review. */
  refuseBulk(negotiationId: string, what: string): Promise<void>;
}
