import type { DumpChange, NegotiationDump, RecordStanceResult, StanceEvent } from '@parley/contracts';
import { changeCodec, headCodec, retractionCodec, sourceCodec, stanceEventCodec } from '../exports/dump/dump-codecs';
import { serialize } from '../exports/dump/dump-text';
import { citedOf, NO_SOURCE } from '../sources/source.mapper';
import { buildStanceEvent } from '../stances/stance-row';
import { recordedCell } from './dump-check';

/**
 * A checked file through the same serializer as the database's dump, each object re-created with the
 * dump's key order (so a file whose keys were reordered still compares equal): equal to the writer's
 * bytes exactly when the file is the negotiation already stored. `dump` is in today's form (dump-upgrade.ts).
 */
export async function* serializeParsed(dump: NegotiationDump): AsyncGenerator<string> {
  const id = dump.negotiation.id;
  const head = headCodec.canonical(dump);
  async function* of<T>(items: T[]): AsyncGenerator<T> {
    yield* items;
  }
  // A recorded stance's change data as the database gives it back: rebuilt from the events.
  const sources = new Map((dump.sources ?? []).map((s) => [s.id, citedOf(sourceCodec.toRows(s, id))]));
  const views = new Map(
    dump.stanceEvents.map((e) => [e.id, buildStanceEvent(stanceEventCodec.toRows(e, id), e.sourceId ? (sources.get(e.sourceId) ?? NO_SOURCE) : NO_SOURCE)]),
  );
  yield* serialize(
    head,
    of(dump.stanceEvents.map((e) => stanceEventCodec.canonical(e, id))),
    of(dump.retractions.map((r) => retractionCodec.canonical(r))),
    of(dump.changes.map((c) => changeCodec.canonical(c, c.kind === 'stance.recorded' ? recordedData(c, views) : (c.data ?? null)))),
  );
}

/** A checked file's recorded-stance change, with its events from the file's stanceEvents (as the database rebuilds them: no retraction). */
function recordedData(c: DumpChange, views: Map<string, StanceEvent>): RecordStanceResult {
  const cell = recordedCell(c.data);
  const event = views.get(c.entityId);
  if (!cell || !event) throw new Error(`change ${c.seq} was not checked`);
  const current = cell.currentId === null ? null : (views.get(cell.currentId) ?? null);
  return { event, cell: { partyId: event.partyId, pointId: event.pointId, version: cell.version, current } };
}
