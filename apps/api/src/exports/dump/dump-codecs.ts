import type {
  DumpChange,
  DumpDocument,
  DumpEvent,
  DumpMilestone,
  DumpParty,
  DumpPoint,
  DumpRetraction,
  DumpSource,
  DumpSourceArchive,
  NegotiationDump,
} from '@parley/contracts';
import { DUMP_FORMAT, DUMP_VERSION } from '@parley/contracts';
import { parseInstant, toIso, toIsoOrNull } from '@parley/domain';
import { ChangeEntity } from '../../changes/change.entity';
import { num, numOrNull } from '../../database/sql';
import { DocumentEntity, ProvisionEntity } from '../../documents/document.entity';
import { documentFields } from '../../documents/document.mapper';
import { MilestoneEntity } from '../../milestones/milestone.entity';
import { NegotiationEntity } from '../../negotiations/negotiation.entity';
import { toNegotiation } from '../../negotiations/negotiation.mapper';
import { ActorEntity, PartyEntity } from '../../parties/party.entity';
import { partyFields } from '../../parties/party.mapper';
import { PointEntity, PointLineageEntity } from '../../points/point.entity';
import type { SourceArchiveEntity } from '../../sources/source-archive.entity';
import type { SourceEntity } from '../../sources/source.entity';
import { toSource } from '../../sources/source.mapper';
import type { StanceRetractionEntity } from '../../stances/stance.entities';
import { storedForm } from '../../stances/stance-log';
import { entityOfExchange, exchangeOfEntity } from '../../stances/stance-row';

/**
 * One codec per record of the dump: how a stored row becomes the dump's object (`toDump`, the
 * writer) and how the dump's object becomes rows again (`toRows`, the import). Each entity's
 * mapping lives here once; the key order of `toDump` is the dump's key order, so equal content
 * gives equal bytes. `canonical` re-creates an object of a parsed file as the writer would write it
 * (for "is this file already here?"): for most records `toDump(toRows(x))`.
 */

/** What the dump holds besides the three long streams (a dump written here always has its sources). */
export type DumpHead = Omit<NegotiationDump, 'stanceEvents' | 'retractions' | 'changes' | 'sources' | 'sourceArchives'> & { sources: DumpSource[]; sourceArchives: DumpSourceArchive[] };
type DumpNegotiation = NegotiationDump['negotiation'];

/** A change-log entry as the dump writes it: its data kept as the JSON text stored. */
export interface ChangeLine {
  seq: number;
  kind: string;
  entityId: string;
  recordedAt: string;
  recordedBy: string;
  data: string;
  before: string | null;
}

const at = parseInstant;
const atOrNull = (value: string | null): number | null => (value === null ? null : at(value));

export const negotiationCodec = {
  /**
   * The dump's negotiation is the API's, field for field, except the review policy and
   * requireExpectedVersion: written only when `required` / true, so a dump of a negotiation without review is the same bytes as before it existed.
   */
  toDump: (n: NegotiationEntity): DumpNegotiation => {
    const { reviewPolicy, requireExpectedVersion, ...rest } = toNegotiation(n);
    if (reviewPolicy !== 'required' && requireExpectedVersion !== true) return rest;
    const { seq, version, createdAt, updatedAt, ...start } = rest;
    return {
      ...start,
      ...(reviewPolicy === 'required' ? { reviewPolicy } : {}),
      // Like the review policy, written only when on.
      ...(requireExpectedVersion === true ? { requireExpectedVersion } : {}),
      seq, version, createdAt, updatedAt,
    };
  },
  toRows: (n: DumpNegotiation): NegotiationEntity => ({
    id: n.id, slug: n.slug, title: n.title, description: n.description, status: n.status, reviewPolicy: n.reviewPolicy ?? 'off',
    requireExpectedVersion: n.requireExpectedVersion ?? false,
    seq: n.seq, version: n.version, createdAt: at(n.createdAt), updatedAt: at(n.updatedAt),
  }),
  canonical: (n: DumpNegotiation): DumpNegotiation => negotiationCodec.toDump(negotiationCodec.toRows(n)),
};

/** A party with its actors (the actors given are the party's own, in the dump's order). */
export const partyCodec = {
  toDump: (p: PartyEntity, actors: ActorEntity[]): DumpParty => ({
    id: p.id,
    ...partyFields(p),
    version: p.version,
    createdAt: toIso(p.createdAt),
    updatedAt: toIso(p.updatedAt),
    actors: actors.map((a) => ({ id: a.id, name: a.name, role: a.role, sortOrder: a.sortOrder, retiredAt: toIsoOrNull(numOrNull(a.retiredAt)) })),
  }),
  toRows: (p: DumpParty, negotiationId: string): { party: PartyEntity; actors: ActorEntity[] } => ({
    party: {
      id: p.id, negotiationId, code: p.code, name: p.name, kind: p.kind, color: p.color, parentId: p.parentId,
      description: p.description, sortOrder: p.sortOrder, version: p.version, createdAt: at(p.createdAt), updatedAt: at(p.updatedAt),
    },
    actors: p.actors.map((a) => ({ id: a.id, partyId: p.id, name: a.name, role: a.role, sortOrder: a.sortOrder, retiredAt: atOrNull(a.retiredAt) })),
  }),
  canonical: (p: DumpParty, negotiationId: string): DumpParty => {
    const { party, actors } = partyCodec.toRows(p, negotiationId);
    return partyCodec.toDump(party, actors);
  },
};

/** A point with the points it was derived from. */
export const pointCodec = {
  toDump: (p: PointEntity, lineage: PointLineageEntity[]): DumpPoint => ({
    id: p.id,
    code: p.code,
    title: p.title,
    category: p.category,
    description: p.description,
    sortOrder: p.sortOrder,
    version: p.version,
    createdAt: toIso(p.createdAt),
    updatedAt: toIso(p.updatedAt),
    derivedFrom: lineage.map((l) => ({ pointId: l.derivedFromId, kind: l.kind })),
  }),
  toRows: (p: DumpPoint, negotiationId: string): { point: PointEntity; lineage: PointLineageEntity[] } => ({
    point: {
      id: p.id, negotiationId, code: p.code, title: p.title, category: p.category, description: p.description,
      sortOrder: p.sortOrder, version: p.version, createdAt: at(p.createdAt), updatedAt: at(p.updatedAt),
    },
    lineage: p.derivedFrom.map((d) => ({ pointId: p.id, derivedFromId: d.pointId, kind: d.kind })),
  }),
  canonical: (p: DumpPoint, negotiationId: string): DumpPoint => {
    const { point, lineage } = pointCodec.toRows(p, negotiationId);
    return pointCodec.toDump(point, lineage);
  },
};

/** A document with its provisions. */
export const documentCodec = {
  toDump: (d: DocumentEntity, provisions: ProvisionEntity[]): DumpDocument => ({
    id: d.id,
    ...documentFields(d),
    version: d.version,
    createdAt: toIso(d.createdAt),
    updatedAt: toIso(d.updatedAt),
    provisions: provisions.map((v) => ({ pointId: v.pointId, number: v.number, text: v.text, sortOrder: v.sortOrder })),
  }),
  toRows: (d: DumpDocument, negotiationId: string): { document: DocumentEntity; provisions: ProvisionEntity[] } => ({
    document: {
      id: d.id, negotiationId, title: d.title, shortTitle: d.shortTitle, authorPartyId: d.authorPartyId, publishedAt: at(d.publishedAt),
      publishedPrecision: d.publishedPrecision, description: d.description, sourceUrl: d.sourceUrl, version: d.version,
      createdAt: at(d.createdAt), updatedAt: at(d.updatedAt),
    },
    provisions: d.provisions.map((p) => ({ documentId: d.id, pointId: p.pointId, number: p.number, text: p.text, sortOrder: p.sortOrder })),
  }),
  canonical: (d: DumpDocument, negotiationId: string): DumpDocument => {
    const { document, provisions } = documentCodec.toRows(d, negotiationId);
    return documentCodec.toDump(document, provisions);
  },
};

export const milestoneCodec = {
  toDump: (ms: MilestoneEntity): DumpMilestone => ({
    id: ms.id,
    title: ms.title,
    kind: ms.kind,
    startsAt: toIso(ms.startsAt),
    startsPrecision: ms.startsPrecision,
    endsAt: toIsoOrNull(ms.endsAt),
    description: ms.description,
    sourceUrl: ms.sourceUrl,
    partyIds: ms.partyIds,
    version: ms.version,
    createdAt: toIso(ms.createdAt),
    updatedAt: toIso(ms.updatedAt),
  }),
  toRows: (ms: DumpMilestone, negotiationId: string): MilestoneEntity => ({
    id: ms.id, negotiationId, title: ms.title, kind: ms.kind, startsAt: at(ms.startsAt), startsPrecision: ms.startsPrecision,
    endsAt: atOrNull(ms.endsAt), description: ms.description, sourceUrl: ms.sourceUrl, partyIds: ms.partyIds,
    version: ms.version, createdAt: at(ms.createdAt), updatedAt: at(ms.updatedAt),
  }),
  canonical: (ms: DumpMilestone, negotiationId: string): DumpMilestone => milestoneCodec.toDump(milestoneCodec.toRows(ms, negotiationId)),
};

export const sourceCodec = {
  /** The API's shape without the negotiation and the archive (copies travel in `sourceArchives`); the dump's key order is the API's. */
  toDump: (s: SourceEntity): DumpSource => {
    const { negotiationId: _, archive: __, ...record } = toSource(s);
    return record;
  },
  toRows: (s: DumpSource, negotiationId: string): SourceEntity => ({
    id: s.id, negotiationId, kind: s.kind, outlet: s.outlet, title: s.title, url: s.url, publishedAt: atOrNull(s.publishedAt),
    language: s.language, description: s.description, version: s.version, createdAt: at(s.createdAt), updatedAt: at(s.updatedAt),
  }),
  canonical: (s: DumpSource, negotiationId: string): DumpSource => sourceCodec.toDump(sourceCodec.toRows(s, negotiationId)),
};

/** An archived copy: its bytes as base64 (last, the long field), the text as extracted then (its length is derived). */
export const sourceArchiveCodec = {
  toDump: (a: SourceArchiveEntity): DumpSourceArchive => ({
    id: a.id,
    sourceId: a.sourceId,
    contentType: a.contentType,
    sha256: a.sha256,
    size: a.size,
    archivedAt: toIso(a.archivedAt),
    archivedBy: a.archivedBy,
    text: a.text,
    original: a.original,
  }),
  toRows: (a: DumpSourceArchive, negotiationId: string): SourceArchiveEntity => ({
    id: a.id, negotiationId, sourceId: a.sourceId, sha256: a.sha256, size: a.size, contentType: a.contentType, original: a.original,
    text: a.text, textLength: a.text.length, archivedAt: at(a.archivedAt), archivedBy: a.archivedBy,
  }),
  canonical: (a: DumpSourceArchive, negotiationId: string): DumpSourceArchive => sourceArchiveCodec.toDump(sourceArchiveCodec.toRows(a, negotiationId)),
};

export const stanceEventCodec = {
  toDump: exchangeOfEntity,
  toRows: entityOfExchange,
  canonical: (e: DumpEvent, negotiationId: string): DumpEvent => stanceEventCodec.toDump(stanceEventCodec.toRows(e, negotiationId)),
};

export const retractionCodec = {
  toDump: (r: StanceRetractionEntity): DumpRetraction => ({ id: r.id, eventId: r.eventId, seq: r.seq, reason: r.reason, recordedAt: toIso(r.recordedAt), recordedBy: r.recordedBy }),
  toRows: (r: DumpRetraction, negotiationId: string): StanceRetractionEntity => ({
    id: r.id, negotiationId, eventId: r.eventId, seq: r.seq, reason: r.reason, recordedAt: at(r.recordedAt), recordedBy: r.recordedBy,
  }),
  /** The file's record in the dump's key order, its time as the file writes it. */
  canonical: (r: DumpRetraction): DumpRetraction => ({ id: r.id, eventId: r.eventId, seq: r.seq, reason: r.reason, recordedAt: r.recordedAt, recordedBy: r.recordedBy }),
};

/** A change-log row as read with SQL: the stored JSON text goes into the dump as it is. */
export interface ChangeLogRow {
  seq: number | string;
  kind: string;
  entity_id: string;
  data: string;
  before: string | null;
  recorded_at: number | string;
  recorded_by: string;
}

export const changeCodec = {
  /** `rebuilt`: a recorded stance's published data, rebuilt from its events (stances/stance-row.ts); other data is written as stored. */
  toDump: (r: ChangeLogRow, rebuilt: unknown): ChangeLine => ({
    seq: num(r.seq),
    kind: r.kind,
    entityId: r.entity_id,
    recordedAt: toIso(num(r.recorded_at)),
    recordedBy: r.recorded_by,
    data: rebuilt ? JSON.stringify(rebuilt) : r.data,
    before: r.before,
  }),
  toRows: (c: DumpChange, negotiationId: string): ChangeEntity => ({
    negotiationId, seq: c.seq, kind: c.kind, entityId: c.entityId, data: storedForm(c.kind, c.data), before: c.before ?? null,
    recordedAt: at(c.recordedAt), recordedBy: c.recordedBy,
  }),
  /** The file's entry as the writer writes it, given its published data (the file's time as written). */
  canonical: (c: DumpChange, data: unknown): ChangeLine => ({
    seq: c.seq,
    kind: c.kind,
    entityId: c.entityId,
    recordedAt: c.recordedAt,
    recordedBy: c.recordedBy,
    data: JSON.stringify(data),
    before: c.before === undefined || c.before === null ? null : JSON.stringify(c.before),
  }),
};

/** The rows the dump's head is written from: the negotiation and its records, in the dump's order. */
export interface HeadRows {
  negotiation: NegotiationEntity;
  parties: PartyEntity[];
  actors: ActorEntity[];
  points: PointEntity[];
  lineage: PointLineageEntity[];
  documents: DocumentEntity[];
  provisions: ProvisionEntity[];
  milestones: MilestoneEntity[];
  sources: SourceEntity[];
  archives: SourceArchiveEntity[];
}

/** The head: format, version and the records besides the three long streams, in the dump's key order. */
export const headCodec = {
  toDump: (r: HeadRows): DumpHead => ({
    format: DUMP_FORMAT,
    version: DUMP_VERSION,
    negotiation: negotiationCodec.toDump(r.negotiation),
    parties: r.parties.map((p) => partyCodec.toDump(p, r.actors.filter((a) => a.partyId === p.id))),
    points: r.points.map((p) => pointCodec.toDump(p, r.lineage.filter((l) => l.pointId === p.id))),
    documents: r.documents.map((d) => documentCodec.toDump(d, r.provisions.filter((v) => v.documentId === d.id))),
    milestones: r.milestones.map((ms) => milestoneCodec.toDump(ms)),
    sources: r.sources.map((x) => sourceCodec.toDump(x)),
    sourceArchives: r.archives.map((a) => sourceArchiveCodec.toDump(a)),
  }),
  /** A parsed file's head as the writer would write it. */
  canonical: (dump: NegotiationDump): DumpHead => {
    const id = dump.negotiation.id;
    return {
      format: DUMP_FORMAT,
      version: DUMP_VERSION,
      negotiation: negotiationCodec.canonical(dump.negotiation),
      parties: dump.parties.map((p) => partyCodec.canonical(p, id)),
      points: dump.points.map((p) => pointCodec.canonical(p, id)),
      documents: dump.documents.map((d) => documentCodec.canonical(d, id)),
      milestones: dump.milestones.map((ms) => milestoneCodec.canonical(ms, id)),
      sources: (dump.sources ?? []).map((x) => sourceCodec.canonical(x, id)),
      sourceArchives: (dump.sourceArchives ?? []).map((a) => sourceArchiveCodec.canonical(a, id)),
    };
  },
};
