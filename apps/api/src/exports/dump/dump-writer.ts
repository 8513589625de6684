import { Injectable } from '@nestjs/common';
import type { DumpEvent, DumpRetraction } from '@parley/contracts';
import type { EntityManager } from 'typeorm';
import { AppError } from '../../common/app-error';
import { PlanVersionEntity } from '../../changes/plan-version.entity';
import { rebuildRecorded } from '../../stances/stance-log';
import { Db } from '../../database/db.service';
import { num, sql } from '../../database/sql';
import { DocumentEntity, ProvisionEntity } from '../../documents/document.entity';
import { MilestoneEntity } from '../../milestones/milestone.entity';
import type { NegotiationEntity } from '../../negotiations/negotiation.entity';
import { NegotiationsService } from '../../negotiations/negotiations.service';
import { ActorEntity, PartyEntity } from '../../parties/party.entity';
import { PointEntity, PointLineageEntity } from '../../points/point.entity';
import { ProposalEntity } from '../../review/proposal.entity';
import { toProposal } from '../../review/proposal.mapper';
import { SourceArchiveEntity } from '../../sources/source-archive.entity';
import { SourceEntity } from '../../sources/source.entity';
import { StanceEventEntity, StanceRetractionEntity } from '../../stances/stance.entities';
import { EVENT_PAGE } from '../exports.service';
import { changeCodec, headCodec, retractionCodec, stanceEventCodec, type ChangeLine, type ChangeLogRow, type DumpHead } from './dump-codecs';
import { serialize } from './dump-text';

const MAX_SNAPSHOT_TRIES = 5;

/**
 * Writes the complete, versioned JSON dump of a negotiation from the database (export.json, the
 * command line's export, and the import's "is this file already here?").
 */
@Injectable()
export class DumpWriter {
  constructor(
    private readonly db: Db,
    private readonly negotiations: NegotiationsService,
  ) {}

  /**
   * The dump as text chunks, streamed: memory stays bounded whatever the history's length. The
   * negotiation is resolved (and a missing one refused) before the first chunk.
   */
  async open(negotiation: string, withProposals = false): Promise<{ slug: string; seq: number; chunks: AsyncGenerator<string> }> {
    const { head, seq } = await this.snapshot(negotiation);
    const id = head.negotiation.id;
    const proposals = withProposals ? this.proposalLines(id) : undefined;
    return { slug: head.negotiation.slug, seq, chunks: serialize(head, this.eventLines(id, seq), this.retractionLines(id, seq), this.changeLines(id, seq), proposals) };
  }

  /** The proposals (review/), oldest first, as the API shows them; they are not numbered changes, so not cut at `seq`. */
  private async *proposalLines(negotiationId: string): AsyncGenerator<string> {
    let after = '';
    for (;;) {
      const rows = await this.db.read
        .createQueryBuilder(ProposalEntity, 'p')
        .where('p.negotiation_id = :negotiationId AND p.id > :after', { negotiationId, after })
        .orderBy('p.id', 'ASC')
        .limit(EVENT_PAGE)
        .getMany();
      for (const p of rows) yield JSON.stringify(toProposal(p));
      if (rows.length < EVENT_PAGE) return;
      after = rows[rows.length - 1].id;
    }
  }

  /**
   * Reads the negotiation's records consistently with its change counter: every change bumps the
   * counter in the same transaction, so records read between two equal readings of it are the
   * state at that sequence number. The three streams are then cut at that number.
   */
  private async snapshot(negotiation: string): Promise<{ head: DumpHead; seq: number }> {
    const m = this.db.read;
    for (let attempt = 0; ; attempt++) {
      const n = await this.negotiations.resolve(negotiation, m);
      const head = await readHead(m, n);
      const again = await this.negotiations.resolve(n.id, m);
      if (again.seq === n.seq || attempt >= MAX_SNAPSHOT_TRIES) {
        if (again.seq !== n.seq) throw new AppError(503, 'UNAVAILABLE', 'The negotiation is changing too fast to take a consistent dump; try again');
        return { head, seq: n.seq };
      }
    }
  }

  private async *eventLines(negotiationId: string, upToSeq: number): AsyncGenerator<DumpEvent> {
    let after = 0;
    for (;;) {
      const rows = await this.db.read
        .createQueryBuilder(StanceEventEntity, 'e')
        .where('e.negotiation_id = :negotiationId AND e.seq > :after AND e.seq <= :upToSeq', { negotiationId, after, upToSeq })
        .orderBy('e.seq', 'ASC')
        .limit(EVENT_PAGE)
        .getMany();
      for (const e of rows) yield stanceEventCodec.toDump(e);
      if (rows.length < EVENT_PAGE) return;
      after = rows[rows.length - 1].seq;
    }
  }

  private async *retractionLines(negotiationId: string, upToSeq: number): AsyncGenerator<DumpRetraction> {
    let after = 0;
    for (;;) {
      const rows = await this.db.read
        .createQueryBuilder(StanceRetractionEntity, 'r')
        .where('r.negotiation_id = :negotiationId AND r.seq > :after AND r.seq <= :upToSeq', { negotiationId, after, upToSeq })
        .orderBy('r.seq', 'ASC')
        .limit(EVENT_PAGE)
        .getMany();
      for (const r of rows) yield retractionCodec.toDump(r);
      if (rows.length < EVENT_PAGE) return;
      after = rows[rows.length - 1].seq;
    }
  }

  private async *changeLines(negotiationId: string, upToSeq: number): AsyncGenerator<ChangeLine> {
    let after = 0;
    for (;;) {
      // Raw rows: the stored JSON text goes into the dump as it is, without a parse and re-serialize.
      const { rows } = await sql<ChangeLogRow>(
        this.db.read,
        `SELECT seq, kind, entity_id, data, before, recorded_at, recorded_by FROM change_log
          WHERE negotiation_id = ? AND seq > ? AND seq <= ? ORDER BY seq ASC LIMIT ?`,
        [negotiationId, after, upToSeq, EVENT_PAGE],
      );
      // A recorded stance is stored as references to its events: its published data is rebuilt.
      const rebuilt = await rebuildRecorded(
        this.db.read,
        rows.map((r) => ({ seq: num(r.seq), kind: r.kind, entityId: r.entity_id, data: r.data })),
      );
      for (const r of rows) yield changeCodec.toDump(r, rebuilt.get(num(r.seq)));
      if (rows.length < EVENT_PAGE) return;
      after = num(rows[rows.length - 1].seq);
    }
  }
}

async function readHead(m: EntityManager, n: NegotiationEntity): Promise<DumpHead> {
  const [parties, actors, points, lineage, documents, provisions, milestones, sources, archives, planVersions] = await Promise.all([
    m.find(PartyEntity, { where: { negotiationId: n.id }, order: { sortOrder: 'ASC', code: 'ASC' } }),
    m
      .createQueryBuilder(ActorEntity, 'a')
      .innerJoin(PartyEntity, 'p', 'p.id = a.party_id')
      .where('p.negotiation_id = :id', { id: n.id })
      .orderBy('a.sort_order', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .getMany(),
    m.find(PointEntity, { where: { negotiationId: n.id }, order: { sortOrder: 'ASC', code: 'ASC' } }),
    m
      .createQueryBuilder(PointLineageEntity, 'l')
      .innerJoin(PointEntity, 'p', 'p.id = l.point_id')
      .where('p.negotiation_id = :id', { id: n.id })
      .orderBy('l.point_id', 'ASC')
      .addOrderBy('l.derived_from_id', 'ASC')
      .getMany(),
    m.find(DocumentEntity, { where: { negotiationId: n.id }, order: { publishedAt: 'ASC', id: 'ASC' } }),
    m
      .createQueryBuilder(ProvisionEntity, 'v')
      .innerJoin(DocumentEntity, 'd', 'd.id = v.document_id')
      .where('d.negotiation_id = :id', { id: n.id })
      .orderBy('v.sort_order', 'ASC')
      .addOrderBy('v.point_id', 'ASC')
      .getMany(),
    m.find(MilestoneEntity, { where: { negotiationId: n.id }, order: { startsAt: 'ASC', id: 'ASC' } }),
    m.find(SourceEntity, { where: { negotiationId: n.id }, order: { createdAt: 'ASC', id: 'ASC' } }),
    m.find(SourceArchiveEntity, { where: { negotiationId: n.id }, order: { archivedAt: 'ASC', id: 'ASC' } }),
    m.find(PlanVersionEntity, { where: { negotiationId: n.id } }),
  ]);
  return headCodec.toDump({ negotiation: n, parties, actors, points, lineage, documents, provisions, milestones, sources, archives, planVersions });
}
