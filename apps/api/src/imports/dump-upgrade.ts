import { createHash } from 'node:crypto';
import { defaultSourceKind, DUMP_VERSION, type DumpPlanVersion, type DumpSource, type NegotiationDump } from '@parley/contracts';
import { parseInstant } from '@parley/domain';
import { toDocument } from '../documents/document.mapper';
import { documentCodec, partyCodec, planVersionCodec, pointCodec } from '../exports/dump/dump-codecs';
import { toParty } from '../parties/party.mapper';
import { toPoint } from '../points/points.service';
import { citationKey } from '../sources/source.mapper';

/**
 * A dump written before sources were records (version 1: no `sources`, no `sourceId`) in today's
 * form, unchanged in meaning: its events' inline citations become sources by the dedup rule the
 * migration used (same URL, else same outlet, title and publication date; kind news_report with an
 * outlet, else document), created when first cited. Their ids are derived from the negotiation and
 * the citation, so the same file always gives the same sources: re-importing it is recognised as
 * no change. A current dump is returned as it is.
 */
export function withSources(dump: NegotiationDump): NegotiationDump {
  if (dump.sources !== undefined && dump.stanceEvents.every((e) => e.sourceId !== undefined)) return dump;
  const sources = new Map<string, DumpSource>((dump.sources ?? []).map((s) => [keyOf(s), s]));
  const stanceEvents = [...dump.stanceEvents]
    .sort((a, b) => a.seq - b.seq)
    .map((e) => {
      if (e.sourceId !== undefined) return e;
      const { url, outlet, title, publishedAt } = e.source;
      if (url === null && outlet === null && title === null && publishedAt === null) return { ...e, sourceId: null };
      const key = citationKey({ url, outlet, title, publishedAt: publishedAt === null ? null : parseInstant(publishedAt), description: null });
      let source = sources.get(key);
      if (!source) {
        source = {
          id: derivedId(dump.negotiation.id, key),
          kind: defaultSourceKind(outlet),
          outlet,
          title,
          url,
          publishedAt,
          language: null,
          description: null,
          version: 1,
          createdAt: e.recordedAt,
          updatedAt: e.recordedAt,
        };
        sources.set(key, source);
      }
      return { ...e, sourceId: source.id };
    });
  const order = new Map(dump.stanceEvents.map((e, i) => [e.id, i]));
  stanceEvents.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  // As the writer lists them: by creation time, then id.
  const list = [...sources.values()].sort((a, b) => parseInstant(a.createdAt) - parseInstant(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { ...dump, version: DUMP_VERSION, sources: list, stanceEvents };
}

/**
 * A dump written before the plan had a history (no `planVersions`) with one version per point,
 * party and document, made by the migration's rule (migrations/1765620000000-plan-versions.ts): a
 * point in force from its first text or first stance, whichever is earlier (else its creation), a
 * document from its date, a party from its creation or first stance; recorded at creation (or the
 * first stance's recording, if earlier). Ids are derived, so the same file gives the same versions.
 */
export function withPlanVersions(dump: NegotiationDump): NegotiationDump {
  if (dump.planVersions !== undefined) return dump;
  const id = dump.negotiation.id;
  const first = new Map<string, { effectiveAt: number; recordedAt: number }>();
  const meet = (key: string, effectiveAt: number, recordedAt: number) => {
    const held = first.get(key);
    first.set(key, { effectiveAt: Math.min(held?.effectiveAt ?? Infinity, effectiveAt), recordedAt: Math.min(held?.recordedAt ?? Infinity, recordedAt) });
  };
  for (const e of dump.stanceEvents) {
    meet(e.pointId, parseInstant(e.effectiveAt), parseInstant(e.recordedAt));
    meet(e.partyId, parseInstant(e.effectiveAt), parseInstant(e.recordedAt));
  }
  const tabled = new Map<string, number>();
  for (const d of dump.documents) {
    for (const p of d.provisions) tabled.set(p.pointId, Math.min(tabled.get(p.pointId) ?? Infinity, parseInstant(d.publishedAt)));
  }
  const version = (kind: DumpPlanVersion['kind'], entityId: string, effectiveAt: number, recordedAt: number, data: object): DumpPlanVersion => ({
    id: derivedId(id, `plan\u0000${kind}\u0000${entityId}`),
    kind,
    entityId,
    seq: 0,
    effectiveAt: new Date(effectiveAt).toISOString(),
    recordedAt: new Date(recordedAt).toISOString(),
    data: data as Record<string, unknown>,
  });
  const planVersions = [
    ...dump.points.map((p) => {
      const { point, lineage } = pointCodec.toRows(p, id);
      const stance = first.get(p.id);
      const effectiveAt = Math.min(tabled.get(p.id) ?? point.createdAt, stance?.effectiveAt ?? Infinity);
      return version('point', p.id, effectiveAt, Math.min(point.createdAt, stance?.recordedAt ?? Infinity), toPoint(point, lineage));
    }),
    ...dump.parties.map((p) => {
      const { party, actors } = partyCodec.toRows(p, id);
      const stance = first.get(p.id);
      return version('party', p.id, Math.min(party.createdAt, stance?.effectiveAt ?? Infinity), Math.min(party.createdAt, stance?.recordedAt ?? Infinity), toParty(party, actors));
    }),
    ...dump.documents.map((d) => {
      const { document, provisions } = documentCodec.toRows(d, id);
      return version('document', d.id, document.publishedAt, document.createdAt, toDocument(document, provisions));
    }),
  ].sort(planVersionCodec.compare);
  return { ...dump, planVersions };
}

function keyOf(s: DumpSource): string {
  return citationKey({ url: s.url, outlet: s.outlet, title: s.title, publishedAt: s.publishedAt === null ? null : parseInstant(s.publishedAt), description: s.description });
}

/** A UUID (version 8, RFC 9562: custom) from the negotiation and the citation. */
function derivedId(negotiationId: string, key: string): string {
  const h = createHash('sha256').update(`${negotiationId}\u0000${key}`).digest('hex');
  const variant = ((Number.parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
