import { Injectable } from '@nestjs/common';
import { cutText, type CompareView, type DocumentCreate, type DocumentPatch, type FieldProblem, type PlanDocument, type PlanQuery, type ProvisionsPatch } from '@parley/contracts';
import { compareDocuments, naturalCompare, parseInstant, precisionOf, type TimeView } from '@parley/domain';
import { In, type EntityManager } from 'typeorm';
import { AppError, badReference, invalid, notFound } from '../common/app-error';
import { isUuid, newId } from '../common/ids';
import { checkVersion, findScoped, requireRefs } from '../common/scoped';
import { ChangeLog } from '../changes/change-log.service';
import { effectiveOf, planView, PlanVersions, type HistoryTimes } from '../changes/plan-versions.service';
import { Db, type Tx } from '../database/db.service';
import { NegotiationsService } from '../negotiations/negotiations.service';
import { PartyEntity } from '../parties/party.entity';
import { PointEntity, PointLineageEntity } from '../points/point.entity';
import { DocumentEntity, ProvisionEntity } from './document.entity';
import { derivedDocumentCode, toDocument } from './document.mapper';

@Injectable()
export class DocumentsService {
  constructor(
    private readonly db: Db,
    private readonly changes: ChangeLog,
    private readonly negotiations: NegotiationsService,
    private readonly versions: PlanVersions,
  ) {}

  async list(negotiation: string, query: PlanQuery = {}): Promise<PlanDocument[]> {
    const id = await this.negotiations.resolveId(negotiation);
    const view = planView(query);
    return view ? this.listAt(this.db.read, id, view) : this.listIn(this.db.read, id);
  }

  /** The documents as they were at (asOf, knownAt): those published and known by then, with their provisions then. */
  async listAt(manager: EntityManager, negotiationId: string, view: TimeView): Promise<PlanDocument[]> {
    const docs = await this.versions.asOf(manager, negotiationId, 'document', await this.listIn(manager, negotiationId), view);
    return docs.sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.createdAt.localeCompare(b.createdAt));
  }

  /** One document as it was at `view` (undefined: not yet published or known). */
  async getAt(manager: EntityManager, current: PlanDocument, view: TimeView): Promise<PlanDocument | undefined> {
    const [then] = await this.versions.asOf(manager, current.negotiationId, 'document', [current], view, current.id);
    return then;
  }

  async listIn(manager: EntityManager, negotiationId: string): Promise<PlanDocument[]> {
    const docs = await manager.find(DocumentEntity, { where: { negotiationId }, order: { publishedAt: 'ASC', createdAt: 'ASC' } });
    const provisions = docs.length ? await manager.findBy(ProvisionEntity, { documentId: In(docs.map((d) => d.id)) }) : [];
    return docs.map((d) => toDocument(d, provisions));
  }

  async get(negotiation: string, documentId: string, query: PlanQuery = {}): Promise<PlanDocument> {
    const id = await this.negotiations.resolveId(negotiation);
    const current = await this.getIn(this.db.read, id, documentId);
    const view = planView(query);
    if (!view) return current;
    const then = await this.getAt(this.db.read, current, view);
    if (!then) throw notFound('Document', documentId);
    return then;
  }

  async getIn(manager: EntityManager, negotiationId: string, documentId: string, field?: string): Promise<PlanDocument> {
    try {
      const doc = await findScoped(manager, DocumentEntity, negotiationId, documentId, 'Document');
      return toDocument(doc, await manager.findBy(ProvisionEntity, { documentId: doc.id }));
    } catch (err) {
      if (field) throw badReference(field, `document '${documentId}' does not exist in this negotiation`);
      throw err;
    }
  }

  async create(negotiation: string, input: DocumentCreate, author: string): Promise<PlanDocument> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    return this.db.write((tx) => this.createIn(tx, negotiationId, input, author));
  }

  /** create inside a caller's transaction (the demo loader writes a whole negotiation in one). */
  async createIn(tx: Tx, negotiationId: string, input: DocumentCreate, author: string, history: HistoryTimes = {}): Promise<PlanDocument> {
    const seq = await this.changes.nextSeq(tx, negotiationId);
    await requireRefs(tx.manager, PartyEntity, negotiationId, [{ field: 'authorPartyId', id: input.authorPartyId }], 'Party');
    const now = Date.now();
    const shortTitle = input.shortTitle ?? cutText(input.title, 60);
    const doc: DocumentEntity = {
      id: newId(),
      negotiationId,
      code: await this.freeCode(tx.manager, negotiationId, input.code, derivedDocumentCode(shortTitle || input.title)),
      title: input.title,
      shortTitle,
      authorPartyId: input.authorPartyId ?? null,
      publishedAt: parseInstant(input.publishedAt),
      publishedPrecision: precisionOf(input.publishedAt),
      description: input.description ?? '',
      sourceUrl: input.sourceUrl ?? null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    if (input.basedOn !== undefined && input.provisions !== undefined) {
      throw invalid([{ field: 'basedOn', message: 'give either provisions or basedOn (a document to start from), not both' }]);
    }
    const base = input.basedOn === undefined ? null : await this.getIn(tx.manager, negotiationId, input.basedOn, 'basedOn');
    await tx.manager.insert(DocumentEntity, doc);
    const provisions = await this.setProvisions(tx, negotiationId, doc.id, base ? base.provisions : (input.provisions ?? []));
    const view = toDocument(doc, provisions);
    await this.changes.record(tx, { negotiationId, seq, kind: 'document.created', entityId: doc.id, data: view, recordedAt: now, recordedBy: author });
    await this.versions.append(tx, {
      negotiationId,
      kind: 'document',
      entityId: doc.id,
      seq,
      // A new text is in force from its date unless told otherwise.
      effectiveAt: history.effectiveAt ?? effectiveOf(input.effectiveAt, doc.publishedAt),
      recordedAt: history.recordedAt ?? now,
      data: view,
    });
    return view;
  }

  async update(negotiation: string, documentId: string, patch: DocumentPatch, author: string): Promise<PlanDocument> {
    return this.change(negotiation, documentId, patch, author, async (tx, negotiationId, current, currentProvisions, now) => {
      await requireRefs(tx.manager, PartyEntity, negotiationId, [{ field: 'authorPartyId', id: patch.authorPartyId }], 'Party');
      const code = patch.code === undefined || patch.code === current.code ? current.code : await this.freeCode(tx.manager, negotiationId, patch.code, '', current.id);
      const next: DocumentEntity = {
        ...current,
        code,
        title: patch.title ?? current.title,
        shortTitle: patch.shortTitle ?? current.shortTitle,
        authorPartyId: patch.authorPartyId === undefined ? current.authorPartyId : patch.authorPartyId,
        publishedAt: patch.publishedAt ? parseInstant(patch.publishedAt) : current.publishedAt,
        publishedPrecision: patch.publishedAt ? precisionOf(patch.publishedAt) : current.publishedPrecision,
        description: patch.description ?? current.description,
        sourceUrl: patch.sourceUrl === undefined ? current.sourceUrl : patch.sourceUrl,
        version: current.version + 1,
        updatedAt: now,
      };
      await tx.manager.update(DocumentEntity, { id: current.id }, {
        code: next.code,
        title: next.title,
        shortTitle: next.shortTitle,
        authorPartyId: next.authorPartyId,
        publishedAt: next.publishedAt,
        publishedPrecision: next.publishedPrecision,
        description: next.description,
        sourceUrl: next.sourceUrl,
        version: next.version,
        updatedAt: now,
      });
      const provisions = patch.provisions
        ? await this.setProvisions(tx, negotiationId, current.id, patch.provisions)
        : currentProvisions;
      return toDocument(next, provisions);
    });
  }

  /**
   * Provisions edited in place (renumbered, reworded, added, removed) in one request: the edits
   * apply to the current provisions and only the result must hold one provision per point and
   * distinct numbers, so numbers can be swapped.
   */
  async editProvisions(negotiation: string, documentId: string, patch: ProvisionsPatch, author: string): Promise<PlanDocument> {
    return this.change(negotiation, documentId, patch, author, async (tx, negotiationId, current, currentProvisions, now) => {
      const problems: FieldProblem[] = [];
      if (!patch.set?.length && !patch.remove?.length) throw invalid([{ field: 'set', message: 'nothing to edit: give provisions to set or points to remove' }]);
      const result = new Map(currentProvisions.map((p) => [p.pointId, { pointId: p.pointId, number: p.number, text: p.text }]));
      const touched = new Map<string, string>();
      for (const [i, pointId] of (patch.remove ?? []).entries()) {
        if (touched.has(pointId)) problems.push({ field: `remove.${i}`, message: `the point is already named at ${touched.get(pointId)}` });
        else if (!result.has(pointId)) problems.push({ field: `remove.${i}`, message: 'this point has no provision in this document' });
        touched.set(pointId, `remove.${i}`);
        result.delete(pointId);
      }
      for (const [i, edit] of (patch.set ?? []).entries()) {
        if (touched.has(edit.pointId)) {
          problems.push({ field: `set.${i}.pointId`, message: `the point is already named at ${touched.get(edit.pointId)}` });
          continue;
        }
        touched.set(edit.pointId, `set.${i}`);
        const was = result.get(edit.pointId);
        if (!was && (edit.number === undefined || edit.text === undefined)) {
          problems.push({ field: `set.${i}.${edit.number === undefined ? 'number' : 'text'}`, message: 'a provision added to the document needs its number and its text' });
          continue;
        }
        result.set(edit.pointId, { pointId: edit.pointId, number: edit.number ?? was?.number ?? '', text: edit.text ?? was?.text ?? '' });
      }
      const byNumber = new Map<string, string[]>();
      for (const p of result.values()) byNumber.set(p.number, [...(byNumber.get(p.number) ?? []), p.pointId]);
      for (const [i, edit] of (patch.set ?? []).entries()) {
        const holders = edit.number === undefined ? [] : (byNumber.get(edit.number) ?? []);
        if (holders.length > 1) problems.push({ field: `set.${i}.number`, message: `number '${edit.number}' would be held by ${holders.length} provisions; numbers must stay unique` });
      }
      await requireRefs(tx.manager, PointEntity, negotiationId, (patch.set ?? []).map((e, i) => ({ field: `set.${i}.pointId`, id: e.pointId })), 'Point');
      if (problems.length > 0) throw invalid(problems);
      const next: DocumentEntity = { ...current, version: current.version + 1, updatedAt: now };
      await tx.manager.update(DocumentEntity, { id: current.id }, { version: next.version, updatedAt: now });
      return toDocument(next, await this.setProvisions(tx, negotiationId, current.id, [...result.values()]));
    });
  }

  /** A change of one document in one transaction: checked against `expectedVersion`, logged with before and after, a version appended. */
  private async change(
    negotiation: string,
    documentId: string,
    { expectedVersion, effectiveAt }: { expectedVersion?: number; effectiveAt?: string },
    author: string,
    edit: (tx: Tx, negotiationId: string, current: DocumentEntity, provisions: ProvisionEntity[], now: number) => Promise<PlanDocument>,
  ): Promise<PlanDocument> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    return this.db.write(async (tx) => {
      const seq = await this.changes.nextSeq(tx, negotiationId);
      const current = await findScoped(tx.manager, DocumentEntity, negotiationId, documentId, 'Document');
      const currentProvisions = await tx.manager.findBy(ProvisionEntity, { documentId: current.id });
      const before = toDocument(current, currentProvisions);
      checkVersion('Document', current.version, expectedVersion, before);
      const now = Date.now();
      const view = await edit(tx, negotiationId, current, currentProvisions, now);
      await this.changes.record(tx, { negotiationId, seq, kind: 'document.updated', entityId: current.id, data: view, before, recordedAt: now, recordedBy: author });
      await this.versions.append(tx, { negotiationId, kind: 'document', entityId: current.id, seq, effectiveAt: effectiveOf(effectiveAt, now), recordedAt: now, data: view });
      return view;
    });
  }

  async compare(negotiation: string, a: string, b: string): Promise<CompareView> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    const results = await Promise.allSettled([
      this.getIn(this.db.read, negotiationId, a, 'query.a'),
      this.getIn(this.db.read, negotiationId, b, 'query.b'),
    ]);
    const [ra, rb] = results;
    if (ra.status === 'rejected' || rb.status === 'rejected') {
      // Name every unknown document, in a stable order, rather than whichever lookup failed first.
      const problems = results.flatMap((r) =>
        r.status === 'rejected' && r.reason instanceof AppError ? (r.reason.details ?? []) : [],
      );
      const other = results.find((r) => r.status === 'rejected' && !(r.reason instanceof AppError));
      if (other?.status === 'rejected') throw other.reason;
      throw invalid(problems);
    }
    const docA = ra.value;
    const docB = rb.value;
    const pointIds = [...new Set([...docA.provisions, ...docB.provisions].map((p) => p.pointId))];
    const points = pointIds.length ? await this.db.read.findBy(PointEntity, { id: In(pointIds) }) : [];
    const lineage = pointIds.length
      ? await this.db.read.find(PointLineageEntity, { where: [{ pointId: In(pointIds) }, { derivedFromId: In(pointIds) }] })
      : [];
    const info = new Map(
      points.map((p) => [
        p.id,
        {
          title: p.title,
          derivedFrom: lineage.filter((l) => l.pointId === p.id).map((l) => ({ pointId: l.derivedFromId, kind: l.kind })),
        },
      ]),
    );
    return compareDocuments(docA, docB, info);
  }

  /** Provisions are the document's content: replacing them is an edit, with before/after in the change log. */
  private async setProvisions(tx: Tx, negotiationId: string, documentId: string, provisions: NonNullable<DocumentCreate['provisions']>) {
    const points = new Set<string>();
    const numbers = new Set<string>();
    for (const [index, p] of provisions.entries()) {
      if (points.has(p.pointId)) throw badReference(`provisions.${index}.pointId`, 'the point appears twice in this document');
      if (numbers.has(p.number)) throw badReference(`provisions.${index}.number`, `number '${p.number}' appears twice in this document`);
      points.add(p.pointId);
      numbers.add(p.number);
    }
    await requireRefs(tx.manager, PointEntity, negotiationId, provisions.map((p, i) => ({ field: `provisions.${i}.pointId`, id: p.pointId })), 'Point');
    await tx.manager.delete(ProvisionEntity, { documentId });
    const rows: ProvisionEntity[] = [...provisions]
      .sort((x, y) => naturalCompare(x.number, y.number))
      .map((p, sortOrder) => ({ documentId, pointId: p.pointId, number: p.number, text: p.text, sortOrder }));
    for (let i = 0; i < rows.length; i += 100) await tx.manager.insert(ProvisionEntity, rows.slice(i, i + 100));
    return rows;
  }

  /**
   * A code no other document of the negotiation has, ignoring case (so a reference to it is never
   * ambiguous): the one asked for (409 if taken), else `derived`, then `derived-2`, `-3`…
   */
  private async freeCode(manager: EntityManager, negotiationId: string, wanted: string | undefined, derived: string, self?: string): Promise<string> {
    const rows = await manager.find(DocumentEntity, { select: { id: true, code: true }, where: { negotiationId } });
    const taken = new Set(rows.filter((r) => r.id !== self && r.code).map((r) => r.code.toLowerCase()));
    if (wanted !== undefined) {
      if (isUuid(wanted)) throw invalid([{ field: 'code', message: 'looks like an id; choose another' }]);
      if (taken.has(wanted.toLowerCase())) throw new AppError(409, 'CONFLICT', `code '${wanted}' is already used by another document of this negotiation`);
      return wanted;
    }
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? derived : `${derived}-${n}`;
      if (!taken.has(candidate.toLowerCase())) return candidate;
    }
  }
}
