import { Injectable } from '@nestjs/common';
import {
  LIMITS,
  StanceCreate,
  type CarryCandidate,
  type CarryItem,
  type CarryStancesInput,
  type CarryStancesResult,
  type FieldProblem,
  type StanceEvent,
} from '@parley/contracts';
import { parseInstant, toIso } from '@parley/domain';
import { In } from 'typeorm';
import { badReference, conflict, invalid } from '../common/app-error';
import { findScoped } from '../common/scoped';
import { Db } from '../database/db.service';
import { num, sql } from '../database/sql';
import { NegotiationsService } from '../negotiations/negotiations.service';
import { PartyEntity } from '../parties/party.entity';
import { PointEntity } from '../points/point.entity';
import { ProposalEntity } from '../review/proposal.entity';
import { ReviewService } from '../review/review.service';
import { firstTabled, parentsOf } from '../stances/inherited-history';
import { EVENT_SELECT, SOURCE_JOIN, toStanceEvent, type EventRow } from '../stances/stance-row';
import { StancesService } from '../stances/stances.service';

type CellRow = EventRow & { c_party_id: string; c_version: number | string };

/** A cell's version and the stance in force in it now (null: none). */
interface Cell {
  version: number;
  stance: StanceEvent | null;
}

/**
 * Carrying the parents' stances to a split or merged point (issue 18, item 6). For each party: the
 * current stance of each derivedFrom parent is a candidate. One candidate, or several with the same
 * position, is carried (the latest of them); parents holding different positions need the analyst's
 * choice (`choices`), and without one the whole request is refused (409) and nothing is written —
 * `dryRun` shows the plan with those parties marked `choice_required`. A party whose cell on the point
 * already has a stance, or an open proposal, is skipped: carrying never overwrites, so asking twice
 * records nothing twice. What is carried cites the parent's source, keeps its position, confidence,
 * quote, actor and conditions, and says in its note where it came from. Under review policy
 * `required` the stances become proposals, all in one transaction; otherwise they are recorded in one
 * transaction, each checked against the cell version read for the plan.
 */
@Injectable()
export class CarryStancesService {
  constructor(
    private readonly db: Db,
    private readonly negotiations: NegotiationsService,
    private readonly stances: StancesService,
    private readonly review: ReviewService,
  ) {}

  async carry(negotiation: string, pointId: string, input: CarryStancesInput, author: string): Promise<CarryStancesResult> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    const point = await findScoped(this.db.read, PointEntity, negotiationId, pointId, 'Point');
    const parents = await parentsOf(this.db.read, negotiationId, point.id);
    if (parents.length === 0) throw badReference('pointId', `point ${point.code} has no derivedFrom parents: there is nothing to carry`);

    const allParties = await this.db.read.find(PartyEntity, { where: { negotiationId }, order: { sortOrder: 'ASC', createdAt: 'ASC' } });
    const known = new Set(allParties.map((p) => p.id));
    const problems: FieldProblem[] = [];
    for (const [i, id] of (input.parties ?? []).entries()) {
      if (!known.has(id)) problems.push({ field: `parties.${i}`, message: `party '${id}' does not exist in this negotiation` });
      else if ((input.parties ?? []).indexOf(id) !== i) problems.push({ field: `parties.${i}`, message: 'appears more than once' });
    }
    const parentIds = new Set(parents.map((p) => p.point.id));
    const chosen = new Map<string, string>();
    for (const [i, c] of (input.choices ?? []).entries()) {
      if (!known.has(c.partyId)) problems.push({ field: `choices.${i}.partyId`, message: `party '${c.partyId}' does not exist in this negotiation` });
      else if (chosen.has(c.partyId)) problems.push({ field: `choices.${i}.partyId`, message: 'appears more than once' });
      if (!parentIds.has(c.fromPointId)) problems.push({ field: `choices.${i}.fromPointId`, message: `point '${c.fromPointId}' is not a derivedFrom parent of ${point.code}` });
      chosen.set(c.partyId, c.fromPointId);
    }
    if (problems.length) throw invalid(problems);

    const wanted = input.parties ? allParties.filter((p) => input.parties?.includes(p.id)) : allParties;
    const [cells, tabled, open] = await Promise.all([
      this.cellsOf(negotiationId, [point.id, ...parentIds]),
      firstTabled(this.db.read, [point.id]),
      this.db.read.find(ProposalEntity, {
        select: { partyId: true },
        where: { negotiationId, pointId: point.id, kind: 'stance', status: In(['open', 'changes_requested']) },
      }),
    ]);
    const proposed = new Set(open.map((p) => p.partyId));
    const codeOf = new Map(parents.map((p) => [p.point.id, p.point.code]));
    const now = Date.now();
    const explicitAt = input.effectiveAt;

    const items: CarryItem[] = [];
    const plans: { item: CarryItem; stance: StanceCreate }[] = [];
    for (const party of wanted) {
      const candidates: CarryCandidate[] = [];
      for (const parent of parents) {
        const stance = cells.get(parent.point.id)?.get(party.id)?.stance;
        if (stance) candidates.push({ pointId: parent.point.id, pointCode: parent.point.code, eventId: stance.id, position: stance.position, effectiveAt: stance.effectiveAt });
      }
      const own = cells.get(point.id)?.get(party.id);
      const item: CarryItem = { partyId: party.id, status: 'skipped', reason: null, from: null, candidates, effectiveAt: null, event: null, proposalId: null };
      items.push(item);
      if (own?.stance) {
        item.reason = `${party.code} already has a stance on ${point.code}`;
        continue;
      }
      if (proposed.has(party.id)) {
        item.reason = `a proposal for ${party.code} on ${point.code} is waiting for review`;
        continue;
      }
      if (candidates.length === 0) {
        item.reason = `no parent has a stance of ${party.code}`;
        continue;
      }
      const choice = chosen.get(party.id);
      let from: CarryCandidate | undefined;
      if (choice !== undefined) {
        from = candidates.find((c) => c.pointId === choice);
        if (!from) {
          const i = (input.choices ?? []).findIndex((c) => c.partyId === party.id);
          throw badReference(`choices.${i}.fromPointId`, `${codeOf.get(choice) ?? choice} has no stance of ${party.code} to carry`);
        }
      } else if (new Set(candidates.map((c) => c.position)).size === 1) {
        from = [...candidates].sort((a, b) => b.effectiveAt.localeCompare(a.effectiveAt))[0];
      } else {
        item.status = 'choice_required';
        item.reason = `the parents differ for ${party.code} (${candidates.map((c) => `${c.pointCode}: ${c.position}`).join(', ')}): choose one`;
        continue;
      }
      const source = cells.get(from.pointId)?.get(party.id)?.stance;
      if (!source) continue;
      item.from = from;
      const stance = carried(source, from.pointCode, point.id, own?.version ?? 0, explicitAt ?? defaultEffectiveAt(source, tabled.get(point.id), now));
      item.effectiveAt = stance.effectiveAt;
      item.status = 'planned';
      plans.push({ item, stance });
    }

    // Each carried stance passes the same checks as one sent by hand (dates, sizes, references).
    const checked: FieldProblem[] = [];
    for (const [i, { stance }] of plans.entries()) {
      const parsed = StanceCreate.safeParse(stance);
      if (!parsed.success) for (const issue of parsed.error.issues) checked.push({ field: issue.path[0] === 'effectiveAt' || issue.path[0] === 'scheduled' ? 'effectiveAt' : `carried.${i}.${issue.path.join('.')}`, message: issue.message });
    }
    if (checked.length) throw invalid(checked);
    const inputs = plans.map((p) => p.stance);
    await this.stances.checkRefs(negotiationId, inputs, (i) => `carried.${i}.`);

    const reviewRequired = await this.review.requires(negotiationId);
    const result = (): CarryStancesResult => ({ pointId: point.id, dryRun: input.dryRun === true, reviewRequired, items });
    if (input.dryRun) return result();
    if (items.some((i) => i.status === 'choice_required')) {
      throw conflict('CONFLICT', `The parents of ${point.code} hold different positions for some parties: choose a parent for each (choices); nothing was carried`, result());
    }
    if (inputs.length === 0) return result();
    if (reviewRequired) {
      const proposals = await this.review.proposeStances(negotiationId, inputs, author);
      for (const [i, { item }] of plans.entries()) Object.assign(item, { status: 'proposed', proposalId: proposals[i].id });
    } else {
      const recorded = await this.db.write((tx) => this.stances.recordManyIn(tx, negotiationId, inputs, author, (i) => `carried.${i}`), { weight: inputs.length });
      for (const [i, { item }] of plans.entries()) Object.assign(item, { status: 'recorded', event: recorded[i].event });
    }
    return result();
  }

  /** The cells of some points now: by point, by party, the version and the stance in force. */
  private async cellsOf(negotiationId: string, pointIds: string[]): Promise<Map<string, Map<string, Cell>>> {
    const out = new Map<string, Map<string, Cell>>();
    for (const pointId of pointIds) {
      const { rows } = await sql<CellRow>(
        this.db.read,
        `SELECT c.party_id AS c_party_id, c.version AS c_version, ${EVENT_SELECT}
           FROM current_stances c
           LEFT JOIN stance_events e ON e.id = c.event_id
           ${SOURCE_JOIN}
           LEFT JOIN stance_retractions r ON r.event_id = e.id
          WHERE c.negotiation_id = ? AND c.point_id = ?`,
        [negotiationId, pointId],
      );
      out.set(pointId, new Map(rows.map((row) => [row.c_party_id, { version: num(row.c_version), stance: row.id ? toStanceEvent(row) : null }])));
    }
    return out;
  }
}

/**
 * When a carried stance takes effect by default: the later of the parent stance's date and the
 * point's first tabling (the stance holds on the new text from when it was put on the table), at
 * most now — unless the parent's stance is itself scheduled for later.
 */
function defaultEffectiveAt(source: StanceEvent, tabledAt: number | undefined, now: number): string {
  const own = parseInstant(source.effectiveAt);
  const at = Math.max(own, tabledAt ?? -Infinity);
  const chosen = source.scheduled && at > now ? at : Math.min(at, now);
  // A date known to the day stays a day (the parent's, or a tabling on a day: its midnight).
  const day = chosen === own ? source.effectivePrecision === 'day' : chosen === tabledAt && chosen % 86_400_000 === 0;
  return day ? toIso(chosen).slice(0, 10) : toIso(chosen);
}

/** The parent's stance as a stance on the point, saying where it came from. */
function carried(source: StanceEvent, fromCode: string, pointId: string, version: number, effectiveAt: string): StanceCreate {
  const note = `Carried from ${fromCode}${source.note ? `: ${source.note}` : ''}`.slice(0, LIMITS.longText);
  const stance: StanceCreate = {
    partyId: source.partyId,
    pointId,
    position: source.position,
    confidence: source.confidence,
    effectiveAt,
    source: source.source.id ? { id: source.source.id } : {},
    note,
    expectedVersion: version,
  };
  if (source.scheduled && parseInstant(effectiveAt) > Date.now()) stance.scheduled = true;
  if (source.quote !== null) {
    stance.quote = source.quote;
    if (source.quoteLanguage !== null) stance.quoteLanguage = source.quoteLanguage;
    if (source.translation !== null) {
      stance.translation = source.translation;
      if (source.translationLanguage !== null) stance.translationLanguage = source.translationLanguage;
    }
  }
  if (source.actorId !== null) stance.actorId = source.actorId;
  if (source.conditions.text !== null || source.conditions.pointIds.length > 0) {
    stance.conditions = {};
    if (source.conditions.text !== null) stance.conditions.text = source.conditions.text;
    if (source.conditions.pointIds.length > 0) stance.conditions.pointIds = source.conditions.pointIds;
  }
  return stance;
}
