import { Injectable, Logger } from '@nestjs/common';
import type { StanceCreate } from '@parley/contracts';
import { DocumentsService } from '../documents/documents.service';
import { MilestonesService } from '../milestones/milestones.service';
import { NegotiationEntity } from '../negotiations/negotiation.entity';
import { NegotiationsService } from '../negotiations/negotiations.service';
import { PartiesService } from '../parties/parties.service';
import { PointsService } from '../points/points.service';
import { StancesService } from '../stances/stances.service';
import { Db } from '../database/db.service';
import type { DemoDataset } from './demo-dataset';

const AUTHOR = 'demo-loader';

/**
 * Loads a hand-written dataset through the same services as the API, so the demo obeys every rule
 * (validation, sequence numbers, projection). Idempotent: a negotiation with the slug is left alone.
 */
@Injectable()
export class DemoLoader {
  private readonly logger = new Logger('Demo');

  constructor(
    private readonly db: Db,
    private readonly negotiations: NegotiationsService,
    private readonly parties: PartiesService,
    private readonly points: PointsService,
    private readonly documents: DocumentsService,
    private readonly milestones: MilestonesService,
    private readonly stances: StancesService,
  ) {}

  async isEmpty(): Promise<boolean> {
    return (await this.db.read.count(NegotiationEntity)) === 0;
  }

  async load(data: DemoDataset): Promise<'loaded' | 'present'> {
    if (await this.db.read.existsBy(NegotiationEntity, { slug: data.negotiation.slug })) return 'present';
    const n = await this.negotiations.create(data.negotiation, AUTHOR);

    const partyId = new Map<string, string>();
    const actorId = new Map<string, string>();
    for (const p of data.parties) {
      const parentId = p.parentCode ? need(partyId, p.parentCode, 'party') : undefined;
      const party = await this.parties.create(
        n.id,
        { code: p.code, name: p.name, kind: p.kind, color: p.color, parentId, description: p.description, actors: p.actors.map(({ name, role }) => ({ name, role })) },
        AUTHOR,
      );
      partyId.set(p.code, party.id);
      p.actors.forEach((a, i) => actorId.set(a.key, party.actors[i].id));
    }

    const pointId = new Map<string, string>();
    for (const [sortOrder, p] of data.points.entries()) {
      const point = await this.points.create(
        n.id,
        {
          code: p.code,
          title: p.title,
          category: p.category,
          description: p.description,
          sortOrder,
          derivedFrom: p.derivedFrom?.map((d) => ({ pointId: need(pointId, d.code, 'point'), kind: d.kind })),
        },
        AUTHOR,
      );
      pointId.set(p.code, point.id);
    }

    const documentId = new Map<string, string>();
    for (const d of data.documents) {
      const doc = await this.documents.create(
        n.id,
        {
          title: d.title,
          shortTitle: d.shortTitle,
          authorPartyId: d.authorPartyCode ? need(partyId, d.authorPartyCode, 'party') : undefined,
          publishedAt: d.publishedAt,
          description: d.description,
          sourceUrl: d.sourceUrl,
          provisions: d.provisions.map((p) => ({ pointId: need(pointId, p.pointCode, 'point'), number: p.number, text: p.text })),
        },
        AUTHOR,
      );
      documentId.set(d.key, doc.id);
    }

    const milestoneId = new Map<string, string>();
    for (const m of data.milestones) {
      const milestone = await this.milestones.create(
        n.id,
        {
          title: m.title,
          kind: m.kind,
          startsAt: m.startsAt,
          endsAt: m.endsAt,
          description: m.description,
          partyIds: m.partyCodes.map((c) => need(partyId, c, 'party')),
        },
        AUTHOR,
      );
      milestoneId.set(m.key, milestone.id);
    }

    const events: StanceCreate[] = data.stances.map((s) => ({
      partyId: need(partyId, s.party, 'party'),
      pointId: need(pointId, s.point, 'point'),
      position: s.position,
      confidence: s.confidence,
      effectiveAt: s.effectiveAt,
      source: s.source,
      conditions: s.conditions
        ? { text: s.conditions.text, pointIds: s.conditions.pointCodes?.map((c) => need(pointId, c, 'point')) }
        : undefined,
      note: s.note,
      quote: s.quote,
      actorId: s.actor ? need(actorId, s.actor, 'actor') : undefined,
      documentId: s.document ? need(documentId, s.document, 'document') : undefined,
      milestoneId: s.milestone ? need(milestoneId, s.milestone, 'milestone') : undefined,
    }));
    const { body } = await this.stances.recordBatch(n.id, events, AUTHOR);

    const eventIdByKey = new Map<string, string>();
    data.stances.forEach((s, i) => s.key && eventIdByKey.set(s.key, body.results[i].event.id));
    for (const r of data.retractions) {
      await this.stances.retract(need(eventIdByKey, r.stanceKey, 'stance'), { reason: r.reason }, AUTHOR);
    }
    this.logger.log(`Loaded demo negotiation '${data.negotiation.slug}' (${events.length} stance events)`);
    return 'loaded';
  }
}

function need(map: Map<string, string>, key: string, what: string): string {
  const id = map.get(key);
  if (id === undefined) throw new Error(`Demo dataset refers to unknown ${what} '${key}'`);
  return id;
}
