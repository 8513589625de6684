import { createHash } from 'node:crypto';
import { defaultSourceKind, DUMP_VERSION, type DumpSource, type NegotiationDump } from '@parley/contracts';
import { parseInstant } from '@parley/domain';
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

function keyOf(s: DumpSource): string {
  return citationKey({ url: s.url, outlet: s.outlet, title: s.title, publishedAt: s.publishedAt === null ? null : parseInstant(s.publishedAt), description: s.description });
}

/** A UUID (version 8, RFC 9562: custom) from the negotiation and the citation. */
function derivedId(negotiationId: string, key: string): string {
  const h = createHash('sha256').update(`${negotiationId}\u0000${key}`).digest('hex');
  const variant = ((Number.parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
