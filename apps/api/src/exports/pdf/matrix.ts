import { POSITIONS, type StanceEvent } from '@parley/contracts';
import type { ReportData } from '../report-data';
import {
  CATEGORY_LABEL,
  CONDITIONS_MARK,
  hasConditions,
  NO_POSITION_SHORT,
  NO_POSITION_SWATCH,
  POSITION_LABEL,
  POSITION_SHORT,
  POSITION_SWATCH,
  rowNumber,
  summaryLabel,
} from '../report-format';
import { BOLD, FONT, HEADER_BG, INK, LINE, MUTED, RULE, STRIPE_BG, type TextStyle, type Writer } from './pdf-kit';
import { safe } from './safe-text';

/** The coloured position matrix: page-high blocks and, for many parties, column groups, each with the legend. */

const ROW_H = 15;
const HEAD_H = 26;
const CELL_FONT = 7.5;
const MIN_PARTY_W = 30;
const MAX_PARTY_W = 58;
const NO_W = 38;
const TITLE_MIN_W = 170;
const CAT_W = 76;
const SUMMARY_W = 62;
const LEGEND_H = 30;

/** Splits the party columns into balanced groups that each fit the landscape page width. */
export function partyGroups<T>(parties: readonly T[], available: number): T[][] {
  if (parties.length === 0) return [[]];
  const perPage = Math.max(1, Math.floor(available / MIN_PARTY_W));
  const groups = Math.ceil(parties.length / perPage);
  const size = Math.ceil(parties.length / groups);
  const out: T[][] = [];
  for (let i = 0; i < parties.length; i += size) out.push(parties.slice(i, i + size));
  return out;
}

function cellText(stance: StanceEvent | null): string {
  if (stance === null) return NO_POSITION_SHORT;
  return `${POSITION_SHORT[stance.position]}${hasConditions(stance) ? CONDITIONS_MARK : ''}`;
}

export function drawMatrix(w: Writer, data: ReportData): void {
  const { doc } = w;
  w.section('Position matrix', 'landscape');
  const tableTop = doc.y;
  const available = w.width - NO_W - TITLE_MIN_W - CAT_W - SUMMARY_W;
  const groups = partyGroups(data.parties, available);
  const numbering = data.document === null ? 'code' : `no. in ${data.document.shortTitle || data.document.title}`;

  groups.forEach((group, gi) => {
    const partyW = group.length === 0 ? 0 : Math.min(MAX_PARTY_W, Math.floor(available / group.length));
    const titleW = w.width - NO_W - CAT_W - SUMMARY_W - partyW * group.length;
    const x = {
      no: w.left,
      title: w.left + NO_W,
      cat: w.left + NO_W + titleW,
      party: w.left + NO_W + titleW + CAT_W,
      summary: w.left + NO_W + titleW + CAT_W + partyW * group.length,
    };
    const caption =
      groups.length > 1
        ? `Parties ${data.parties.indexOf(group[0]) + 1}-${data.parties.indexOf(group[group.length - 1]) + 1} of ${data.parties.length}`
        : `${data.parties.length} parties, ${data.rows.length} points`;

    const header = (top: number, continued: boolean): number => {
      w.line(`${caption}${continued ? ' (continued)' : ''}`, w.left, top, { size: 8.5, color: MUTED });
      const y = top + 14;
      doc.rect(w.left, y, w.width, HEAD_H).fillColor(HEADER_BG).fill();
      const ty = y + HEAD_H - 11;
      w.cell(numbering === 'code' ? 'Code' : 'No.', x.no + 3, ty, NO_W - 4, { font: BOLD, size: CELL_FONT });
      w.cell(data.document === null ? 'Point' : `Point (${numbering})`, x.title + 3, ty, titleW - 6, { font: BOLD, size: CELL_FONT });
      w.cell('Category', x.cat + 3, ty, CAT_W - 6, { font: BOLD, size: CELL_FONT });
      group.forEach((p, i) => {
        const px = x.party + i * partyW;
        doc.rect(px + 1, y + 3, partyW - 2, 3).fillColor(/^#[0-9a-f]{6}$/i.test(p.color) ? p.color : RULE).fill();
        w.cell(p.code, px + 1, ty, partyW - 2, { font: BOLD, size: CELL_FONT }, 'center');
      });
      w.cell('Summary', x.summary + 4, ty, SUMMARY_W - 6, { font: BOLD, size: CELL_FONT });
      return y + HEAD_H;
    };

    if (gi > 0) w.newPage('landscape');
    let y = header(gi === 0 ? tableTop : w.top, false);
    const limit = w.bottom - LEGEND_H;
    if (data.rows.length === 0) {
      w.line('No points match the filters.', w.left + 3, y + 6, { size: 9, color: MUTED });
    }
    data.rows.forEach((row, ri) => {
      if (y + ROW_H > limit) {
        drawLegend(w, limit + 8);
        w.newPage('landscape');
        y = header(w.top, true);
      }
      if (ri % 2 === 1) doc.rect(w.left, y, w.width, ROW_H).fillColor(STRIPE_BG).fill();
      const ty = y + (ROW_H - CELL_FONT * LINE) / 2 + 0.5;
      w.cell(rowNumber(row), x.no + 3, ty, NO_W - 4, { size: CELL_FONT });
      w.cell(row.point.title, x.title + 3, ty, titleW - 6, { size: CELL_FONT });
      w.cell(CATEGORY_LABEL[row.point.category], x.cat + 3, ty, CAT_W - 6, { size: CELL_FONT, color: MUTED });
      group.forEach((p, i) => {
        const stance = row.cells[p.id]?.stance ?? null;
        const swatch = stance === null ? NO_POSITION_SWATCH : POSITION_SWATCH[stance.position];
        const px = x.party + i * partyW;
        if (stance !== null) doc.rect(px + 0.75, y + 0.75, partyW - 1.5, ROW_H - 1.5).fillColor(swatch.background).fill();
        w.cell(cellText(stance), px + 1, ty, partyW - 2, { font: stance === null ? FONT : BOLD, size: CELL_FONT, color: swatch.color }, 'center');
      });
      const summary = summaryLabel(row);
      const summaryStyle: TextStyle = row.summary.blocked
        ? { font: BOLD, size: CELL_FONT, color: POSITION_SWATCH.red_line.background }
        : row.summary.agreed
          ? { font: BOLD, size: CELL_FONT, color: POSITION_SWATCH.accept.background }
          : { size: CELL_FONT, color: row.summary.stated === 0 ? MUTED : INK };
      w.cell(summary, x.summary + 4, ty, SUMMARY_W - 6, summaryStyle);
      doc
        .moveTo(w.left, y + ROW_H)
        .lineTo(w.right, y + ROW_H)
        .lineWidth(0.25)
        .strokeColor(RULE)
        .stroke();
      y += ROW_H;
    });
    drawLegend(w, limit + 8);
  });
}

function drawLegend(w: Writer, top: number): void {
  const { doc } = w;
  let x = w.left;
  const items = [...POSITIONS.map((p) => ({ short: POSITION_SHORT[p], label: POSITION_LABEL[p], swatch: POSITION_SWATCH[p] })), {
    short: NO_POSITION_SHORT,
    label: 'No stated position',
    swatch: NO_POSITION_SWATCH,
  }];
  for (const item of items) {
    doc.rect(x, top, 24, 11).fillColor(item.swatch.background).fill();
    doc.rect(x, top, 24, 11).lineWidth(0.25).strokeColor(RULE).stroke();
    w.cell(item.short, x, top + 2, 24, { font: BOLD, size: 6.5, color: item.swatch.color }, 'center');
    w.line(item.label, x + 28, top + 2, { size: 7 });
    x += 28 + doc.widthOfString(safe(item.label)) + 12;
  }
  w.line(`${CONDITIONS_MARK} with conditions`, x, top + 2, { size: 7 });
  w.line(
    'Agreed: every party with a stated position at least conditional. Blocked: a red line. Spread: highest minus lowest score (accept +2 ... red line -2).',
    w.left,
    top + 15,
    { size: 6.5, color: MUTED },
  );
}
