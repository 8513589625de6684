import type { Actor, FieldProblem, Proposal, RecordStanceResult, StanceCreate, StanceEvent } from '@parley/contracts';
import type { CellUpdate } from '../live/matrix-cache';

/** The cell the form was opened on, as the analyst saw it. */
export interface StanceTarget {
  partyId: string;
  partyName: string;
  pointId: string;
  /** "p06 Cap on Ukraine's armed forces". */
  pointLabel: string;
  /** The cell version shown when the form opened: sent as expectedVersion. */
  version: number;
  current: StanceEvent | null;
}

export type SubmitOutcome =
  | { kind: 'saved'; result: RecordStanceResult }
  /** 202 (review policy required): kept as a proposal until a second person approves it. */
  | { kind: 'proposed'; proposal: Proposal }
  /** 409: someone else changed the cell; their cell as the API returned it. */
  | { kind: 'conflict'; theirs: CellUpdate }
  | { kind: 'invalid'; message: string; details: FieldProblem[] }
  | { kind: 'expired' }
  | { kind: 'error'; message: string };

/** Sends the stance; `reason`: a correction of the event the form was opened on, with its reason. */
export type SubmitStance = (body: StanceCreate, idempotencyKey: string, reason?: string) => Promise<SubmitOutcome>;

export type { Actor };
