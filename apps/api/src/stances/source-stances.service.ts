import { Injectable } from '@nestjs/common';
import type { SourceStancesPage, SourceStancesQuery } from '@parley/contracts';
import { findScoped } from '../common/scoped';
import { Db } from '../database/db.service';
import { num, sql } from '../database/sql';
import { NegotiationsService } from '../negotiations/negotiations.service';
import { SourceEntity } from '../sources/source.entity';
import { EVENT_FROM, EVENT_SELECT, toStanceEvent, type EventRow } from './stance-row';

const DEFAULT_PAGE = 200;

/** The per-source view: every stance event citing a source, newest recorded first, retracted ones with their retraction. */
@Injectable()
export class SourceStancesService {
  constructor(
    private readonly db: Db,
    private readonly negotiations: NegotiationsService,
  ) {}

  async citing(negotiation: string, sourceId: string, query: SourceStancesQuery): Promise<SourceStancesPage> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    const source = await findScoped(this.db.read, SourceEntity, negotiationId, sourceId, 'Source');
    const limit = query.limit ?? DEFAULT_PAGE;
    const where = ['e.source_id = ?'];
    const params: unknown[] = [source.id];
    if (query.beforeSeq !== undefined) {
      where.push('e.seq < ?');
      params.push(query.beforeSeq);
    }
    const { rows } = await sql<EventRow>(this.db.read, `SELECT ${EVENT_SELECT} FROM ${EVENT_FROM} WHERE ${where.join(' AND ')} ORDER BY e.seq DESC LIMIT ?`, [...params, limit + 1]);
    const items = rows.slice(0, limit).map((row) => toStanceEvent(row));
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { sourceId: source.id, items, nextBeforeSeq: last ? num(last.seq) : null };
  }
}
