import { POSITION_LABEL, type Proposal, type Source, type StanceCreate, type StanceEvent } from '@parley/contracts';

/** The queue's filters, as the URL keeps them (`rvAuthor`, `rvParty`, `rvPoint`). */
export interface QueueFilter {
  author: string | null;
  party: string | null;
  point: string | null;
}

export function filterQueue(list: readonly Proposal[], f: QueueFilter): Proposal[] {
  return list.filter((p) => (!f.author || p.author === f.author) && (!f.party || p.partyId === f.party) && (!f.point || p.pointId === f.point));
}

/** A key of the queue, as an action; null: not the queue's (typing in a field, a modifier held). */
export type QueueAction = 'next' | 'previous' | 'approve' | 'reject' | 'changes' | 'help';

export function queueAction(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>): QueueAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const target = e.target as HTMLElement | null;
  if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return null;
  switch (e.key) {
    case 'j':
    case 'ArrowDown':
      return 'next';
    case 'k':
    case 'ArrowUp':
      return 'previous';
    case 'a':
      return 'approve';
    case 'r':
      return 'reject';
    case 'c':
      return 'changes';
    case '?':
      return 'help';
    default:
      return null;
  }
}

/** The index after moving by `step` in a list of `length`, kept within it. */
export function moveSelection(index: number, step: number, length: number): number {
  if (length === 0) return 0;
  return Math.max(0, Math.min(length - 1, index + step));
}

export interface Compared {
  field: string;
  before: string;
  after: string;
  changed: boolean;
}

const dash = '—';

/** A cited source, as one line: the record's outlet — title, or the inline fields given. */
export function sourceLine(source: { id?: string | null; outlet?: string | null; title?: string | null; url?: string | null; description?: string | null } | null | undefined, sources?: ReadonlyMap<string, Source>): string {
  if (!source) return dash;
  const record = source.id ? sources?.get(source.id) : undefined;
  const s = record ?? source;
  const line = [s.outlet, s.title].filter(Boolean).join(' — ') || s.url || s.description || (source.id ? `source ${source.id}` : '');
  return line || dash;
}

function conditionsLine(c: { text?: string | null; pointIds?: readonly string[] } | null | undefined, pointCodes?: ReadonlyMap<string, string>): string {
  if (!c) return dash;
  const parts: string[] = [];
  if (c.text?.trim()) parts.push(c.text.trim());
  if (c.pointIds && c.pointIds.length > 0) parts.push(`Depends on ${c.pointIds.map((id) => pointCodes?.get(id) ?? id).join(', ')}`);
  return parts.join(' — ') || dash;
}

/**
 * What a stance proposal changes against the cell's current stance: position, confidence, effective
 * day, source, quote, translation, conditions and note, each before and after, marked when it differs.
 */
export function compareStance(current: StanceEvent | null, proposed: StanceCreate, opts: { sources?: ReadonlyMap<string, Source>; pointCodes?: ReadonlyMap<string, string> } = {}): Compared[] {
  const row = (field: string, before: string | null | undefined, after: string | null | undefined): Compared => {
    const b = before?.trim() || dash;
    const a = after?.trim() || dash;
    return { field, before: b, after: a, changed: a !== b };
  };
  return [
    row('Position', current ? POSITION_LABEL[current.position] : 'No stated position', POSITION_LABEL[proposed.position]),
    row('Confidence', current?.confidence, proposed.confidence),
    row('Effective', current?.effectiveAt.slice(0, 10), String(proposed.effectiveAt).slice(0, 10)),
    row('Source', current ? sourceLine(current.source, opts.sources) : null, sourceLine(proposed.source as Parameters<typeof sourceLine>[0], opts.sources)),
    row('Quote', current?.quote, proposed.quote),
    row('Translation', current?.translation, proposed.translation),
    row('Conditions', current ? conditionsLine(current.conditions, opts.pointCodes) : null, conditionsLine(proposed.conditions, opts.pointCodes)),
    row('Note', current?.note, proposed.note),
  ];
}
