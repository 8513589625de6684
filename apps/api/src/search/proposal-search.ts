import type { Position, ProposalKind, ProposalStatus, SearchHit, StanceCreate } from '@parley/contracts';
import { toIso } from '@parley/domain';
import type { Tx } from '../database/db.service';
import { num, sql } from '../database/sql';
import type { Fields, Ranked } from './rank';

/**
 * Review before publish: the proposals waiting for a decision (open, or changes requested) are
 * searched for staff only. They are few (a queue, not a history) and have no index of their own:
 * the newest `limit` are read and every one is ranked from its texts, as the indexed kinds are.
 * Nothing public calls this; the search service asks only for an analyst or an admin.
 */
export interface ProposalRow {
  id: string;
  kind: ProposalKind;
  status: ProposalStatus;
  author: string;
  created_at: number | string;
  payload: string;
  party_id: string;
  party_code: string;
  party_name: string;
  point_id: string;
  point_code: string;
  point_title: string;
}

export async function waitingProposals(manager: Tx['manager'], negotiationId: string, limit: number): Promise<ProposalRow[]> {
  const { rows } = await sql<ProposalRow>(
    manager,
    `SELECT p.id, p.kind, p.status, p.author, p.created_at, p.payload, p.party_id, pa.code AS party_code, pa.name AS party_name, p.point_id, po.code AS point_code, po.title AS point_title
       FROM proposals p JOIN parties pa ON pa.id = p.party_id JOIN points po ON po.id = p.point_id
      WHERE p.negotiation_id = ? AND p.status IN ('open', 'changes_requested')
      ORDER BY p.id DESC LIMIT ${Math.trunc(limit)}`,
    [negotiationId],
  );
  return rows;
}

const payloadOf = (row: ProposalRow): Partial<StanceCreate> & { reason?: string } => JSON.parse(row.payload) as Partial<StanceCreate> & { reason?: string };

/** A proposal's searched texts: a stance's quote, translation and note; a retraction's reason. */
export function proposalFields(row: ProposalRow): Fields {
  const p = payloadOf(row);
  if (row.kind === 'retraction') return [['reason', p.reason ?? null]];
  return [
    ['quote', p.quote ?? null],
    ['translation', p.translation ?? null],
    ['note', p.note ?? null],
  ];
}

export function proposalHit(row: ProposalRow, ranked: Ranked): SearchHit {
  const p = payloadOf(row);
  return {
    kind: 'proposal',
    ...ranked,
    proposal: {
      id: row.id,
      kind: row.kind,
      status: row.status,
      author: row.author,
      createdAt: toIso(num(row.created_at)),
      partyId: row.party_id,
      partyCode: row.party_code,
      partyName: row.party_name,
      pointId: row.point_id,
      pointCode: row.point_code,
      pointTitle: row.point_title,
      position: row.kind === 'stance' ? ((p.position as Position | undefined) ?? null) : null,
    },
  };
}
