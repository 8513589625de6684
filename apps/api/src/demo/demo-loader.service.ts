import { Injectable, Logger } from '@nestjs/common';
import type { StanceCreate } from '@parley/contracts';
import { In } from 'typeorm';
import { DocumentsService } from '../documents/documents.service';
import { MilestonesService } from '../milestones/milestones.service';
import { NegotiationEntity } from '../negotiations/negotiation.entity';
import { NegotiationsService } from '../negotiations/negotiations.service';
import { PartiesService } from '../parties/parties.service';
import { PointsService } from '../points/points.service';
import { demoHistoryTimes } from './demo-tabled';
import { PlanVersions } from '../changes/plan-versions.service';
import { StanceEventEntity, StanceRetractionEntity } from '../stances/stance.entities';
import { StancesService } from '../stances/stances.service';
import { ArchivesService } from '../sources/archives.service';
import { latestArchives } from '../sources/archive-meta';
import { SourceEntity } from '../sources/source.entity';
import { citationKey, inlineFields } from '../sources/source.mapper';
import { ChangeEntity } from '../changes/change.entity';
import { Db, LOCKS, type Tx } from '../database/db.service';
import { num, sql } from '../database/sql';
import { parseInstant } from '@parley/domain';
import type { DemoDataset, DemoSource } from './demo-dataset';

const AUTHOR = 'demo-loader';

export interface DemoCounts {
  parties: number;
  points: number;
  documents: number;
  milestones: number;
  stanceEvents: number;
  retractions: number;
  /** Archived copies of sources. */
  archives: number;
}

export interface DemoLoadResult {
  /** loaded: into a database without it; present: already complete, nothing changed; completed: an interrupted load was finished. */
  outcome: 'loaded' | 'present' | 'completed';
  /** What this call wrote. */
  added: DemoCounts;
}

/** The demo cannot be loaded (a negotiation of another author holds its slug, or it is not one this loader can complete). */
export class DemoLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoLoadError';
  }
}

/**
 * Loads a hand-written dataset through the same services as the API, so the demo obeys every rule
 * (validation, sequence numbers, projection, change log).
 *
 * All or nothing: the whole demo is written in one transaction, so a load that fails or is cut off
 * (Ctrl-C, a crash) leaves no trace, and the next start or `demo:load` loads it again. Idempotent: a
 * complete demo is left alone. A partial demo left by an older Parley, which wrote it step by step
 * in separate transactions, is recognised (it was written by this loader and lacks the last steps)
 * and completed in one transaction: what is there is kept, matched by its key (party and point
 * codes, document and milestone titles), and the rest is added.
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
    private readonly archives: ArchivesService,
    private readonly versions: PlanVersions,
  ) {}

  async isEmpty(): Promise<boolean> {
    return (await this.db.read.count(NegotiationEntity)) === 0;
  }

  /**
   * Loads the dataset into a database without negotiations (`starting` is told just before it
   * writes). Nodes starting together each find the database empty: the check and the load run under
   * a lock every node shares, so one loads and the others then find it done.
   */
  async loadIfEmpty(data: DemoDataset, starting?: () => void): Promise<boolean> {
    return this.db.exclusively(LOCKS.demoLoad, async () => {
      if (!(await this.isEmpty())) return false;
      starting?.();
      return (await this.loadNow(data)).outcome !== 'present';
    });
  }

  /** Loads or completes the demo; under the same lock, so it never races a node starting up. */
  async load(data: DemoDataset): Promise<DemoLoadResult> {
    return this.db.exclusively(LOCKS.demoLoad, () => this.loadNow(data));
  }

  private async loadNow(data: DemoDataset): Promise<DemoLoadResult> {
    const result = await this.db.write((tx) => this.loadIn(tx, data));
    if (result.outcome !== 'present') {
      this.logger.log(`${result.outcome === 'loaded' ? 'Loaded' : 'Completed'} demo negotiation '${data.negotiation.slug}' (${describeCounts(result.added)})`);
    }
    return result;
  }

  private async loadIn(tx: Tx, data: DemoDataset): Promise<DemoLoadResult> {
    const slug = data.negotiation.slug;
    const added: DemoCounts = { parties: 0, points: 0, documents: 0, milestones: 0, stanceEvents: 0, retractions: 0, archives: 0 };
    const existing = await tx.manager.findOneBy(NegotiationEntity, { slug });
    if (existing) {
      const created = await tx.manager.findOneBy(ChangeEntity, { negotiationId: existing.id, kind: 'negotiation.created' });
      if (created?.recordedBy !== AUTHOR) {
        throw new DemoLoadError(`A negotiation with the demo's slug '${slug}' exists and is not the demo (created by ${created?.recordedBy ?? 'an import'}); nothing was loaded.`);
      }
      const [events, retractions] = await Promise.all([
        tx.manager.countBy(StanceEventEntity, { negotiationId: existing.id, recordedBy: AUTHOR }),
        tx.manager.countBy(StanceRetractionEntity, { negotiationId: existing.id, recordedBy: AUTHOR }),
      ]);
      // The stances and then the retractions were the last steps of every version of this loader.
      if (events === data.stances.length && retractions === data.retractions.length) {
        // A demo loaded before sources had archived copies gets them now.
        added.archives = await this.attachArchives(tx, existing.id, data);
        return { outcome: added.archives > 0 ? 'completed' : 'present', added };
      }
    }
    const negotiationId = existing?.id ?? (await this.negotiations.createIn(tx, data.negotiation, AUTHOR)).id;

    const tabled = demoHistoryTimes(data);
    const partyByCode = new Map((await this.parties.listIn(tx.manager, negotiationId)).map((p) => [p.code, p]));
    const partyId = new Map<string, string>();
    const actorId = new Map<string, string>();
    for (const p of data.parties) {
      let party = partyByCode.get(p.code);
      if (!party) {
        const parentId = p.parentCode ? need(partyId, p.parentCode, 'party') : undefined;
        party = await this.parties.createIn(
          tx,
          negotiationId,
          { code: p.code, name: p.name, kind: p.kind, color: p.color, parentId, description: p.description, actors: p.actors.map(({ name, role }) => ({ name, role })) },
          AUTHOR,
          tabled.start,
        );
        added.parties++;
      } else {
        // Written by an older load, when the plan had no history: tabled as the demo's history says.
        await this.versions.backdate(tx, negotiationId, 'party', party.id, tabled.start);
      }
      partyId.set(p.code, party.id);
      for (const a of p.actors) {
        const actor = party.actors.find((candidate) => candidate.name === a.name);
        if (actor) actorId.set(a.key, actor.id);
      }
    }

    const pointByCode = new Map((await this.points.listIn(tx.manager, negotiationId)).map((p) => [p.code, p]));
    const pointId = new Map<string, string>();
    for (const [sortOrder, p] of data.points.entries()) {
      let point = pointByCode.get(p.code);
      if (!point) {
        point = await this.points.createIn(
          tx,
          negotiationId,
          {
            code: p.code,
            title: p.title,
            category: p.category,
            description: p.description,
            sortOrder,
            derivedFrom: p.derivedFrom?.map((d) => ({ pointId: need(pointId, d.code, 'point'), kind: d.kind })),
          },
          AUTHOR,
          tabled.point(p.code),
        );
        added.points++;
      } else {
        await this.versions.backdate(tx, negotiationId, 'point', point.id, tabled.point(p.code));
      }
      pointId.set(p.code, point.id);
    }

    const documentByTitle = new Map((await this.documents.listIn(tx.manager, negotiationId)).map((d) => [d.title, d]));
    const documentId = new Map<string, string>();
    for (const d of data.documents) {
      let doc = documentByTitle.get(d.title);
      if (!doc) {
        doc = await this.documents.createIn(
          tx,
          negotiationId,
          {
            // Its key ("us28", "geneva") is the code: the name the dataset already gives it.
            code: d.key,
            title: d.title,
            shortTitle: d.shortTitle,
            authorPartyId: d.authorPartyCode ? need(partyId, d.authorPartyCode, 'party') : undefined,
            publishedAt: d.publishedAt,
            description: d.description,
            sourceUrl: d.sourceUrl,
            provisions: d.provisions.map((p) => ({ pointId: need(pointId, p.pointCode, 'point'), number: p.number, text: p.text })),
          },
          AUTHOR,
          tabled.document(d.publishedAt),
        );
        added.documents++;
      } else {
        await this.versions.backdate(tx, negotiationId, 'document', doc.id, tabled.document(d.publishedAt));
      }
      documentId.set(d.key, doc.id);
    }

    const milestoneByTitle = new Map((await this.milestones.listIn(tx.manager, negotiationId)).map((m) => [m.title, m]));
    const milestoneId = new Map<string, string>();
    for (const m of data.milestones) {
      let milestone = milestoneByTitle.get(m.title);
      if (!milestone) {
        milestone = await this.milestones.createIn(
          tx,
          negotiationId,
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
        added.milestones++;
      }
      milestoneId.set(m.key, milestone.id);
    }

    // The stances in the dataset's order, which is the order of their recordedAt (checked): their
    // sequence numbers follow the time Parley learnt them. A retraction is recorded at its own time,
    // between the stances learnt before and after it.
    const times = recordingTimes(data);
    const inputs: StanceCreate[] = data.stances.map((s) => ({
      partyId: need(partyId, s.party, 'party'),
      pointId: need(pointId, s.point, 'point'),
      position: s.position,
      confidence: s.confidence,
      effectiveAt: s.effectiveAt,
      source: apiSourceOf(s.source),
      conditions: s.conditions ? { text: s.conditions.text, pointIds: s.conditions.pointCodes?.map((c) => need(pointId, c, 'point')) } : undefined,
      note: s.note,
      quote: s.quote,
      actorId: s.actor ? need(actorId, s.actor, 'actor') : undefined,
      documentId: s.document ? need(documentId, s.document, 'document') : undefined,
      milestoneId: s.milestone ? need(milestoneId, s.milestone, 'milestone') : undefined,
    }));
    const eventIdByKey = new Map<string, string>();
    const keep = (from: number, ids: string[]) => ids.forEach((id, j) => data.stances[from + j].key && eventIdByKey.set(data.stances[from + j].key as string, id));

    const eventIds = (await tx.manager.find(StanceEventEntity, { select: { id: true }, where: { negotiationId, recordedBy: AUTHOR }, order: { seq: 'ASC' } })).map((e) => e.id);
    if (eventIds.length === 0) {
      let next = 0;
      const recordUpTo = async (until: number) => {
        let end = next;
        while (end < inputs.length && times.stances[end] <= until) end++;
        if (end === next) return;
        const results = await this.stances.recordManyIn(tx, negotiationId, inputs.slice(next, end), AUTHOR, (i) => `stances.${next + i}`, (i) => times.stances[next + i]);
        keep(next, results.map((r) => r.event.id));
        added.stanceEvents += results.length;
        next = end;
      };
      for (const [j, r] of data.retractions.entries()) {
        await recordUpTo(times.retractions[j]);
        await this.stances.retractIn(tx, need(eventIdByKey, r.stanceKey, 'stance'), { reason: r.reason }, AUTHOR, times.retractions[j]);
        added.retractions++;
      }
      await recordUpTo(Number.POSITIVE_INFINITY);
      added.archives = await this.attachArchives(tx, negotiationId, data);
      return { outcome: existing ? 'completed' : 'loaded', added };
    }
    if (eventIds.length !== data.stances.length) {
      throw new DemoLoadError(
        `The demo negotiation '${slug}' holds ${eventIds.length} of the demo's ${data.stances.length} stance events: it was not written by this version of the loader and cannot be completed; nothing was changed.`,
      );
    }

    // An older loader wrote every stance event in one batch, in the dataset's order, and the
    // retractions after them: complete those, no earlier than the events it recorded.
    keep(0, eventIds);
    const { rows } = await sql<{ latest: number | string | null }>(tx.manager, 'SELECT MAX(recorded_at) AS latest FROM stance_events WHERE negotiation_id = ?', [negotiationId]);
    const floor = rows[0]?.latest == null ? 0 : num(rows[0].latest);
    const retracted = new Set(
      (await tx.manager.find(StanceRetractionEntity, { select: { eventId: true }, where: { negotiationId, eventId: In(eventIds) } })).map((r) => r.eventId),
    );
    for (const [j, r] of data.retractions.entries()) {
      const eventId = need(eventIdByKey, r.stanceKey, 'stance');
      if (retracted.has(eventId)) continue; // by the interrupted load being completed
      await this.stances.retractIn(tx, eventId, { reason: r.reason }, AUTHOR, Math.max(times.retractions[j], floor));
      added.retractions++;
    }
    added.archives = await this.attachArchives(tx, negotiationId, data);
    return { outcome: existing ? 'completed' : 'loaded', added };
  }

  /** Attaches the dataset's archived copies to the sources (created by the stances citing them) that have none yet; how many it attached. */
  private async attachArchives(tx: Tx, negotiationId: string, data: DemoDataset): Promise<number> {
    if (!data.archives?.length) return 0;
    const sources = await tx.manager.find(SourceEntity, { where: { negotiationId } });
    const byKey = new Map(sources.map((s) => [citationKey(s), s]));
    const archived = await latestArchives(tx.manager, negotiationId);
    let attached = 0;
    for (const a of data.archives) {
      const source = byKey.get(citationKey(inlineFields(apiSourceOf(a.source) ?? {})));
      if (!source) throw new DemoLoadError(`The demo's archived copy names a source no stance cites (${a.source.outlet ?? a.source.description ?? '?'}); nothing was loaded.`);
      if (archived.has(source.id)) continue;
      await this.archives.attachIn(tx, negotiationId, source.id, await this.archives.prepare('text/plain', Buffer.from(a.text, 'utf8')), AUTHOR);
      attached++;
    }
    return attached;
  }
}

export function describeCounts(counts: DemoCounts): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([what, n]) => `${n} ${what.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)}`);
  return parts.length > 0 ? parts.join(', ') : 'nothing';
}

/** The source as the stance API takes it inline: the write finds the negotiation's source record or creates it. */
export function apiSourceOf(source: DemoSource): StanceCreate['source'] {
  return {
    kind: source.kind,
    outlet: source.outlet,
    title: source.title,
    publishedAt: source.publishedAt,
    url: source.url,
    language: source.language,
    description: source.description,
  };
}

/**
 * The epoch times of the dataset's stances and retractions, checked: each stance is recorded after
 * it takes effect and no earlier than the stance before it; each retraction after its stance.
 */
export function recordingTimes(data: DemoDataset): { stances: number[]; retractions: number[] } {
  const stances = data.stances.map((s, i) => {
    const at = Date.parse(s.recordedAt);
    if (!Number.isFinite(at) || at <= parseInstant(s.effectiveAt)) throw new Error(`Demo stance ${i}: recordedAt '${s.recordedAt}' is not after its effectiveAt '${s.effectiveAt}'`);
    return at;
  });
  stances.forEach((at, i) => {
    if (i > 0 && at < stances[i - 1]) throw new Error(`Demo stance ${i} is recorded before the stance listed before it: list the stances in the order of recordedAt`);
  });
  const retractions = data.retractions.map((r) => {
    const at = Date.parse(r.recordedAt);
    const i = data.stances.findIndex((s) => s.key === r.stanceKey);
    if (!Number.isFinite(at) || (i >= 0 && at <= stances[i])) throw new Error(`Demo retraction of '${r.stanceKey}': recordedAt '${r.recordedAt}' is not after the stance's`);
    return at;
  });
  retractions.forEach((at, j) => {
    if (j > 0 && at < retractions[j - 1]) throw new Error('Demo retractions must be listed in the order of recordedAt');
  });
  return { stances, retractions };
}

function need(map: Map<string, string>, key: string, what: string): string {
  const id = map.get(key);
  if (id === undefined) throw new Error(`Demo dataset refers to unknown ${what} '${key}'`);
  return id;
}
