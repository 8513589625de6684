import type { StanceEvent } from '@parley/contracts';
import type { ReportData } from '../report-data';
import { changesHeading, CONDITIONS_MARK, formatEffective, hasConditions, POSITION_LABEL, type ReportLookup, sourceText } from '../report-format';
import { BOLD, HEADER_BG, INK, MUTED, RULE, type Writer } from './pdf-kit';
import { safe } from './safe-text';

/** The changes in the report's window, grouped by party, oldest effective date first. */

const CHANGE_COLS = [
  { key: 'date', title: 'Effective', width: 66 },
  { key: 'point', title: 'Point', width: 150 },
  { key: 'position', title: 'Position', width: 110 },
  { key: 'source', title: 'Source', width: 110 },
  { key: 'actor', title: 'Actor', width: 79 },
] as const;
type ChangeKey = (typeof CHANGE_COLS)[number]['key'];

export function drawChanges(w: Writer, data: ReportData, lookup: ReportLookup, window: NonNullable<ReportData['changesWindow']>): void {
  const { doc } = w;
  w.section(changesHeading(window), 'portrait');
  const changes = data.changes;
  w.para(
    `${data.changesTotal} stance event(s)${data.changesTotal > changes.length ? `; the first ${changes.length} are listed` : ''}, grouped by party, oldest effective date first.`,
    w.left,
    w.width,
    { size: 9, color: MUTED },
    8,
  );
  if (changes.length === 0) return;

  // The previous position of a cell within the listed changes, so a change can read "from -> to".
  const previous = new Map<string, StanceEvent['position']>();
  const rows = new Map<string, Record<ChangeKey, string>[]>();
  for (const e of changes) {
    const cell = `${e.partyId}\u0000${e.pointId}`;
    const before = previous.get(cell);
    if (e.retraction === null) previous.set(cell, e.position);
    const point = lookup.point(e.pointId);
    const position =
      (before !== undefined && before !== e.position ? `${POSITION_LABEL[before]} -> ${POSITION_LABEL[e.position]}` : POSITION_LABEL[e.position]) +
      (hasConditions(e) ? ` ${CONDITIONS_MARK}` : '') +
      (e.retraction !== null ? ` (retracted: ${e.retraction.reason})` : '');
    const list = rows.get(e.partyId) ?? [];
    list.push({
      date: formatEffective(e.effectiveAt, e.effectivePrecision),
      point: `${point.code} ${point.title}`,
      position,
      source: sourceText(e.source) || (e.source.url ?? ''),
      actor: lookup.actorName(e.actorId) ?? '',
    });
    rows.set(e.partyId, list);
  }

  const order = [...data.parties.map((p) => p.id), ...data.allParties.map((p) => p.id)];
  const partyIds = [...rows.keys()].sort((a, b) => rankOf(order, a) - rankOf(order, b));
  const headerRow = (): void => {
    const y = doc.y;
    doc.rect(w.left, y, w.width, 14).fillColor(HEADER_BG).fill();
    let x = w.left;
    for (const c of CHANGE_COLS) {
      w.cell(c.title, x + 3, y + 4, c.width - 6, { font: BOLD, size: 7.5 });
      x += c.width;
    }
    doc.y = y + 16;
  };
  for (const partyId of partyIds) {
    const party = lookup.party(partyId);
    const list = rows.get(partyId) ?? [];
    w.ensure(60);
    doc.y += 4;
    w.para(`${party.name} (${party.code}) - ${list.length} change${list.length === 1 ? '' : 's'}`, w.left, w.width, { font: BOLD, size: 11 }, 4);
    headerRow();
    for (const r of list) {
      const h = Math.max(...CHANGE_COLS.map((c) => w.heightOf(r[c.key], c.width - 6, { size: 8 }))) + 5;
      if (w.ensure(h)) {
        w.para(`${party.name} (${party.code}), continued`, w.left, w.width, { font: BOLD, size: 9, color: MUTED }, 3);
        headerRow();
      }
      const y = doc.y;
      let x = w.left;
      for (const c of CHANGE_COLS) {
        w.style({ size: 8, color: c.key === 'date' ? MUTED : INK });
        doc.text(safe(r[c.key]), x + 3, y, { width: c.width - 6, lineGap: 0.5 });
        x += c.width;
      }
      doc
        .moveTo(w.left, y + h - 2.5)
        .lineTo(w.right, y + h - 2.5)
        .lineWidth(0.25)
        .strokeColor(RULE)
        .stroke();
      doc.y = y + h;
    }
  }
  if (data.changesTotal > changes.length) {
    doc.y += 6;
    w.ensure(20);
    w.para(`... and ${data.changesTotal - changes.length} more; see the spreadsheet.`, w.left, w.width, { font: BOLD, size: 9 });
  }
}

function rankOf(order: readonly string[], id: string): number {
  const i = order.indexOf(id);
  return i === -1 ? order.length : i;
}
