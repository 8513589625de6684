import { createHash } from 'node:crypto';
import type { DumpChange, ImportProblem, NegotiationDump } from '@parley/contracts';

/**
 * The rules a dump must keep beyond its schema: every reference resolves inside the file, ids are
 * unique, and the sequence numbers are those of a real history (the change log numbered 1..seq
 * without gaps, each event and retraction at the number of its change).
 */
export function checkDump(dump: NegotiationDump): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const add = (field: string, message: string, row?: number) => {
    if (problems.length < 1_000) problems.push(row === undefined ? { field, message } : { field, message, row });
  };
  const unique = <T extends { id: string }>(items: T[], path: string) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.id)) add(`${path}.${i}.id`, `duplicate id '${item.id}'`, i);
      seen.add(item.id);
    });
    return seen;
  };
  const parties = unique(dump.parties, 'parties');
  const actors = new Map<string, string>();
  dump.parties.forEach((p, i) => {
    p.actors.forEach((a, j) => {
      if (actors.has(a.id)) add(`parties.${i}.actors.${j}.id`, `duplicate id '${a.id}'`, i);
      actors.set(a.id, p.id);
    });
    if (p.parentId !== null && !parties.has(p.parentId)) add(`parties.${i}.parentId`, `party '${p.parentId}' is not in the file`, i);
  });
  const byId = new Map(dump.parties.map((p) => [p.id, p]));
  dump.parties.forEach((p, i) => {
    const seen = new Set<string>();
    for (let at: string | null = p.id; at !== null; at = byId.get(at)?.parentId ?? null) {
      if (seen.has(at)) {
        add(`parties.${i}.parentId`, 'the parent chain loops back to this party', i);
        break;
      }
      seen.add(at);
    }
  });
  codesUnique(dump.parties, 'parties', add);
  codesUnique(dump.points, 'points', add);
  const points = unique(dump.points, 'points');
  dump.points.forEach((p, i) =>
    p.derivedFrom.forEach((d, j) => {
      if (!points.has(d.pointId)) add(`points.${i}.derivedFrom.${j}.pointId`, `point '${d.pointId}' is not in the file`, i);
    }),
  );
  const documents = unique(dump.documents, 'documents');
  dump.documents.forEach((d, i) => {
    if (d.authorPartyId !== null && !parties.has(d.authorPartyId)) add(`documents.${i}.authorPartyId`, `party '${d.authorPartyId}' is not in the file`, i);
    d.provisions.forEach((p, j) => {
      if (!points.has(p.pointId)) add(`documents.${i}.provisions.${j}.pointId`, `point '${p.pointId}' is not in the file`, i);
    });
  });
  const milestones = unique(dump.milestones, 'milestones');
  dump.milestones.forEach((ms, i) =>
    ms.partyIds.forEach((id, j) => {
      if (!parties.has(id)) add(`milestones.${i}.partyIds.${j}`, `party '${id}' is not in the file`, i);
    }),
  );

  const sources = unique(dump.sources ?? [], 'sources');
  const urls = new Set<string>();
  (dump.sources ?? []).forEach((s, i) => {
    if (s.url !== null && urls.has(s.url)) add(`sources.${i}.url`, `another source of the file has the URL '${s.url}'`, i);
    if (s.url !== null) urls.add(s.url);
  });
  unique(dump.sourceArchives ?? [], 'sourceArchives');
  (dump.sourceArchives ?? []).forEach((a, i) => {
    if (!sources.has(a.sourceId)) add(`sourceArchives.${i}.sourceId`, `source '${a.sourceId}' is not in the file`, i);
    const bytes = Buffer.from(a.original, 'base64');
    if (bytes.length !== a.size) add(`sourceArchives.${i}.size`, `is ${a.size} but the original holds ${bytes.length} bytes`, i);
    if (createHash('sha256').update(bytes).digest('hex') !== a.sha256) add(`sourceArchives.${i}.sha256`, 'is not the SHA-256 of the original', i);
  });

  if (dump.proposals !== undefined) {
    add('proposals', 'a dump with proposals (exported with includeProposals=true) is for reading: export it without them to import it');
  }
  const changeAt = new Map<number, DumpChange>();
  dump.changes.forEach((c, i) => {
    if (c.seq !== i + 1) add(`changes.${i}.seq`, `must be ${i + 1}: the change log is numbered 1, 2, 3… without gaps`, i);
    // Live clients replay these entries and read `data` as the kind's payload (ChangePayloads).
    if (!payloadNamesEntity(c)) add(`changes.${i}.data`, `must be the ${c.kind} payload of '${c.entityId}' (${c.kind.startsWith('stance.') ? 'event and cell' : 'the entity with that id'})`, i);
    changeAt.set(c.seq, c);
  });
  if (dump.changes.length !== dump.negotiation.seq) {
    add('negotiation.seq', `is ${dump.negotiation.seq} but the file has ${dump.changes.length} changes`);
  }
  const events = unique(dump.stanceEvents, 'stanceEvents');
  dump.stanceEvents.forEach((e, i) => {
    const f = `stanceEvents.${i}`;
    if (!parties.has(e.partyId)) add(`${f}.partyId`, `party '${e.partyId}' is not in the file`, i);
    if (!points.has(e.pointId)) add(`${f}.pointId`, `point '${e.pointId}' is not in the file`, i);
    if (e.actorId !== null && actors.get(e.actorId) !== e.partyId) add(`${f}.actorId`, `actor '${e.actorId}' is not an actor of party '${e.partyId}' in the file`, i);
    if (e.documentId !== null && !documents.has(e.documentId)) add(`${f}.documentId`, `document '${e.documentId}' is not in the file`, i);
    if (e.milestoneId !== null && !milestones.has(e.milestoneId)) add(`${f}.milestoneId`, `milestone '${e.milestoneId}' is not in the file`, i);
    if (e.sourceId !== undefined && e.sourceId !== null && !sources.has(e.sourceId)) add(`${f}.sourceId`, `source '${e.sourceId}' is not in the file`, i);
    e.conditions.pointIds.forEach((id, j) => {
      if (!points.has(id)) add(`${f}.conditions.pointIds.${j}`, `point '${id}' is not in the file`, i);
    });
    const c = changeAt.get(e.seq);
    // Recorded alone, or as the new event of a one-step correction (whose entity it is).
    if (!c || (c.kind !== 'stance.recorded' && c.kind !== 'stance.corrected') || c.entityId !== e.id) add(`${f}.seq`, `change ${e.seq} is not the recording of this event`, i);
  });
  const retracted = new Set<string>();
  dump.retractions.forEach((r, i) => {
    const f = `retractions.${i}`;
    if (!events.has(r.eventId)) add(`${f}.eventId`, `stance event '${r.eventId}' is not in the file`, i);
    if (retracted.has(r.eventId)) add(`${f}.eventId`, `stance event '${r.eventId}' is retracted twice`, i);
    retracted.add(r.eventId);
    const c = changeAt.get(r.seq);
    // Retracted alone, or by a one-step correction (its data's `retracted` is the event).
    const ofChange = c?.kind === 'stance.retracted' ? c.entityId : c?.kind === 'stance.corrected' ? correctedId(c.data) : null;
    if (ofChange !== r.eventId) add(`${f}.seq`, `change ${r.seq} is not this retraction`, i);
  });
  // A recorded stance's change is kept as references to its events (stances/stance-row.ts): what it
  // names must be in the file, and its copies of the events are rebuilt from stanceEvents.
  const eventById = new Map(dump.stanceEvents.map((e) => [e.id, e]));
  dump.changes.forEach((c, i) => {
    if (c.kind !== 'stance.recorded') return;
    const f = `changes.${i}.data`;
    const event = eventById.get(c.entityId);
    if (!event || event.seq !== c.seq) add(`changes.${i}.entityId`, `stance event '${c.entityId}' with seq ${c.seq} is not in the file`, i);
    const cell = recordedCell(c.data);
    if (!cell) {
      add(f, 'must be the recorded event and its cell ({ event, cell: { version, current } })', i);
      return;
    }
    if (cell.eventId !== c.entityId) add(`${f}.event.id`, `must be the change's entityId '${c.entityId}'`, i);
    if (cell.currentId !== null) {
      const current = eventById.get(cell.currentId);
      if (!current || current.seq > c.seq) add(`${f}.cell.current.id`, `stance event '${cell.currentId}' is not in the file before change ${c.seq}`, i);
    }
  });
  return problems;
}

/** The references in a recorded stance's change data, or null when it does not have that shape. */
export function recordedCell(data: unknown): { eventId: string; version: number; currentId: string | null } | null {
  const d = data as { event?: { id?: unknown }; cell?: { version?: unknown; current?: { id?: unknown } | null } } | null;
  if (typeof d !== 'object' || d === null || typeof d.event?.id !== 'string' || typeof d.cell !== 'object' || d.cell === null) return null;
  const { version, current } = d.cell;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return null;
  if (current !== null && (typeof current !== 'object' || typeof current?.id !== 'string')) return null;
  return { eventId: d.event.id, version, currentId: current === null ? null : (current.id as string) };
}

/** A change's data is its kind's payload for its entity: the entity itself, or for stances the event and its cell. */
function payloadNamesEntity(c: DumpChange): boolean {
  // A recorded stance's data is checked in detail in checkDump (it is kept as references to its events).
  if (c.kind === 'stance.recorded') return true;
  if (typeof c.data !== 'object' || c.data === null) return false;
  const data = c.data as { id?: unknown; event?: { id?: unknown } | null; cell?: unknown };
  if (c.kind === 'stance.retracted') {
    return typeof data.event === 'object' && data.event?.id === c.entityId && typeof data.cell === 'object' && data.cell !== null;
  }
  if (c.kind === 'stance.corrected') {
    return typeof data.event === 'object' && data.event?.id === c.entityId && typeof data.cell === 'object' && data.cell !== null && correctedId(data) !== null;
  }
  return data.id === c.entityId;
}

/** The event a correction's data retracts, or null when the data does not have that shape. */
function correctedId(data: unknown): string | null {
  const retracted = (data as { retracted?: { id?: unknown } } | null)?.retracted;
  return typeof retracted === 'object' && retracted !== null && typeof retracted.id === 'string' ? retracted.id : null;
}

function codesUnique(items: { code: string }[], path: string, add: (field: string, message: string, row?: number) => void): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.code)) add(`${path}.${i}.code`, `duplicate code '${item.code}'`, i);
    seen.add(item.code);
  });
}
