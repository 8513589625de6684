import type { ReportData } from '../report-data';
import { changesHeading, formatInstant, POSITION_SWATCH, totalsOf } from '../report-format';
import { ACCENT, BOLD, INK, MUTED, RULE, type Writer } from './pdf-kit';

/** The title page (the facts of the briefing and its key totals), its contents list and every page's footer. */

export function drawTitlePage(w: Writer, data: ReportData): void {
  const { doc } = w;
  w.newPage('portrait');
  w.line('PARLEY BRIEFING', w.left, w.top + 20, { font: BOLD, size: 9, color: ACCENT });
  doc.y = w.top + 40;
  w.para(data.negotiation.title, w.left, w.width, { font: BOLD, size: 24 }, 6);
  w.para(`Status: ${data.negotiation.status}`, w.left, w.width, { size: 10, color: MUTED }, 10);
  if (data.negotiation.description.trim() !== '') {
    w.para(data.negotiation.description, w.left, w.width, { size: 11 }, 14);
  }

  const asOf = data.asOf === null ? 'now' : formatInstant(data.asOf);
  const knownAt = data.knownAt === null ? '' : `, as known at ${formatInstant(data.knownAt)}`;
  w.para(`Positions as of ${asOf}${knownAt}`, w.left, w.width, { font: BOLD, size: 13 }, 3);
  const facts: [string, string][] = [];
  if (data.document !== null) facts.push(['Numbering', data.document.title]);
  if (data.filters !== null) facts.push(['Filters', data.filters]);
  if (data.changesWindow !== null) facts.push(['Changes', changesHeading(data.changesWindow).replace(/^Changes /, '')]);
  facts.push(['Generated', formatInstant(data.generatedAt)]);
  doc.y += 4;
  for (const [label, value] of facts) {
    const y = doc.y;
    w.line(label, w.left, y, { size: 10, color: MUTED });
    w.para(value, w.left + 95, w.width - 95, { size: 10 }, 3);
    doc.y = Math.max(doc.y, y + 13);
  }

  // Key totals as four boxes.
  const totals = totalsOf(data.rows);
  const pct = (n: number): string => (totals.points === 0 ? '' : `${Math.round((100 * n) / totals.points)}% of points`);
  const boxes: { label: string; value: number; note: string; color: string }[] = [
    { label: 'Points', value: totals.points, note: `${totals.addressed} addressed`, color: INK },
    { label: 'Agreed', value: totals.agreed, note: pct(totals.agreed), color: POSITION_SWATCH.accept.background },
    { label: 'Blocked', value: totals.blocked, note: pct(totals.blocked), color: POSITION_SWATCH.red_line.background },
    { label: 'Parties', value: data.parties.length, note: 'in the matrix', color: INK },
  ];
  const gap = 12;
  const bw = (w.width - gap * (boxes.length - 1)) / boxes.length;
  const by = doc.y + 16;
  boxes.forEach((b, i) => {
    const x = w.left + i * (bw + gap);
    doc.rect(x, by, bw, 64).lineWidth(0.75).strokeColor(RULE).stroke();
    doc.rect(x, by, 4, 64).fillColor(b.color).fill();
    w.line(b.label.toUpperCase(), x + 12, by + 9, { font: BOLD, size: 8, color: MUTED });
    w.line(String(b.value), x + 12, by + 22, { font: BOLD, size: 22, color: b.color });
    w.line(b.note, x + 12, by + 49, { size: 8, color: MUTED });
  });
  w.contentsY = by + 96;
}

export function drawContents(w: Writer): void {
  const { doc } = w;
  doc.switchToPage(0);
  let y = w.contentsY;
  w.line('Contents', w.left, y, { font: BOLD, size: 12 });
  y += 20;
  for (const s of w.sections) {
    w.cell(s.title, w.left, y, w.width - 60, { size: 10 });
    w.cell(String(s.page + 1), w.right - 50, y, 50, { size: 10 }, 'right');
    doc
      .moveTo(w.left, y + 13)
      .lineTo(w.right, y + 13)
      .lineWidth(0.25)
      .strokeColor(RULE)
      .stroke();
    y += 18;
  }
}

export function drawFooters(w: Writer, data: ReportData): void {
  const { doc } = w;
  const range = doc.bufferedPageRange();
  const asOf = data.asOf === null ? 'now' : formatInstant(data.asOf);
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin must not trigger pdfkit's automatic page break.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - 30;
    doc
      .moveTo(w.left, y - 6)
      .lineTo(w.right, y - 6)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    w.cell(`Parley - ${data.negotiation.title} - positions as of ${asOf}`, w.left, y, w.width - 110, { size: 7.5, color: MUTED });
    w.cell(`Page ${i - range.start + 1} of ${range.count}`, w.right - 100, y, 100, { size: 7.5, color: MUTED }, 'right');
    doc.page.margins.bottom = bottomMargin;
  }
}
