import type { StanceEvent } from '@parley/contracts';
import type { ReportData } from '../report-data';
import {
  CATEGORY_LABEL,
  CONDITIONS_MARK,
  formatDay,
  formatEffective,
  hasConditions,
  POSITION_LABEL,
  POSITION_SWATCH,
  type ReportLookup,
  rowNumber,
  sourceText,
  summaryLabel,
} from '../report-format';
import { BOLD, ITALIC, LINE, MUTED, type TextStyle, type Writer } from './pdf-kit';

/** Per-point notes: each party's stance in force with its conditions, note, quote (with its language and translation), source and actor. */

export function drawNotes(w: Writer, data: ReportData, lookup: ReportLookup): void {
  const { doc } = w;
  const withStances = data.rows.filter((r) => data.parties.some((p) => r.cells[p.id]?.stance));
  if (withStances.length === 0) return;
  w.section('Notes by point', 'portrait');
  const indent = 14;
  const bodyW = w.width - indent;
  for (const row of withStances) {
    const heading = `${rowNumber(row)}. ${row.point.title}`;
    const blocks = data.parties.flatMap((p) => {
      const stance = row.cells[p.id]?.stance ?? null;
      return stance === null ? [] : [{ party: lookup.party(p.id), stance }];
    });
    const first = blocks[0];
    const headingH = w.heightOf(heading, w.width, { font: BOLD, size: 11 }) + 16;
    const firstH = first ? noteHeight(w, noteLines(first.stance, lookup), bodyW) : 0;
    w.ensure(headingH + Math.min(firstH, 120));
    doc.y += 6;
    w.para(heading, w.left, w.width, { font: BOLD, size: 11 }, 1);
    w.para(`${CATEGORY_LABEL[row.point.category]} - ${summaryLabel(row)}`, w.left, w.width, { size: 8, color: MUTED }, 5);
    for (const { party, stance } of blocks) {
      const lines = noteLines(stance, lookup);
      const h = noteHeight(w, lines, bodyW);
      if (h < w.bottom - w.top) w.ensure(h);
      const y = doc.y;
      doc.rect(w.left + 2, y + 1, 3, Math.min(h - 4, w.bottom - y)).fillColor(POSITION_SWATCH[stance.position].background).fill();
      w.para(
        `${party.name} (${party.code}): ${POSITION_LABEL[stance.position]}${hasConditions(stance) ? ` ${CONDITIONS_MARK}` : ''}`,
        w.left + indent,
        bodyW,
        { font: BOLD, size: 9 },
        1,
      );
      for (const l of lines) w.para(l.text, w.left + indent, bodyW, l.style, 1);
      doc.y += 5;
    }
  }
}

interface NoteLine {
  text: string;
  style: TextStyle;
}

function noteLines(e: StanceEvent, lookup: ReportLookup): NoteLine[] {
  const plain: TextStyle = { size: 8.5 };
  const lines: NoteLine[] = [
    { text: `${e.confidence}, effective ${formatEffective(e.effectiveAt, e.effectivePrecision)}`, style: { size: 8, color: MUTED } },
  ];
  const linked = e.conditions.pointIds.map((id) => lookup.point(id).code);
  if (e.conditions.text || linked.length > 0) {
    const text = [e.conditions.text ?? '', linked.length > 0 ? `(depends on point${linked.length > 1 ? 's' : ''} ${linked.join(', ')})` : '']
      .filter((s) => s !== '')
      .join(' ');
    lines.push({ text: `Conditions: ${text}`, style: plain });
  }
  if (e.note) lines.push({ text: `Note: ${e.note}`, style: plain });
  if (e.quote) lines.push({ text: `"${e.quote}"${e.quoteLanguage ? ` (${e.quoteLanguage})` : ''}`, style: { font: ITALIC, size: 8.5 } });
  if (e.quote && e.translation) {
    lines.push({ text: `Translation${e.translationLanguage ? ` (${e.translationLanguage})` : ''}: "${e.translation}"`, style: { size: 8, color: MUTED } });
  }
  const src = [sourceText(e.source), e.source.url ?? '', e.source.publishedAt ? `published ${formatDay(e.source.publishedAt)}` : '']
    .filter((s) => s !== '')
    .join(', ');
  if (src !== '') lines.push({ text: `Source: ${src}`, style: { size: 8, color: MUTED } });
  const actor = lookup.actorName(e.actorId);
  if (actor !== null) lines.push({ text: `Actor: ${actor}`, style: { size: 8, color: MUTED } });
  return lines;
}

function noteHeight(w: Writer, lines: NoteLine[], width: number): number {
  return 9 * LINE + 1 + lines.reduce((sum, l) => sum + w.heightOf(l.text, width, l.style) + 1, 0) + 5;
}
