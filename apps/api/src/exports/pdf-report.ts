import PDFDocument from 'pdfkit';
import { pipeline } from 'node:stream/promises';
import { POSITIONS } from '@parley/contracts';
import type { ConvergencePoint, Milestone, StanceEvent } from '@parley/contracts';
import { convergenceSpan, DAY_MS } from '@parley/domain';
import type { ReportData } from './report-data';
import {
  CATEGORY_LABEL,
  CONDITIONS_MARK,
  changesHeading,
  NO_POSITION_SHORT,
  NO_POSITION_SWATCH,
  POSITION_LABEL,
  POSITION_SHORT,
  POSITION_SWATCH,
  ReportLookup,
  formatDay,
  formatDayShort,
  formatEffective,
  formatInstant,
  hasConditions,
  parseIso,
  rowNumber,
  sourceText,
  summaryLabel,
  totalsOf,
} from './report-format';

/**
 * The PDF briefing: title page, the coloured matrix (split into page-high blocks and, for many
 * parties, into column groups), the convergence chart, "changes since" and per-point notes.
 *
 * Pure function of the report data; the whole document is laid out in memory (pdfkit buffers the
 * pages so that "Page n of m" can be written at the end) and only then piped to `out`, so a layout
 * error never leaves a half-written response.
 */
export async function renderPdf(data: ReportData, out: NodeJS.WritableStream): Promise<void> {
  const doc = layoutPdf(data);
  await pipeline(doc, out);
}

/**
 * Text that the PDF standard fonts can draw.
 *
 * The briefing uses the 14 standard PDF fonts (Helvetica) so that no font file ships with the API.
 * pdfkit encodes them in WinAnsi (Windows-1252), which has Latin-1 plus a few typographic signs and
 * nothing else: Cyrillic (Ukrainian and Russian names and quotes), Greek, CJK, the minus sign "−",
 * arrows or emoji would come out as wrong glyphs (mojibake) or missing boxes. Every string drawn
 * goes through `safe()`, which
 * - maps typographic punctuation to ASCII (curly quotes, dashes, minus, ellipsis, arrows, bullets),
 * - transliterates Cyrillic to Latin (a simple scheme, readable rather than reversible),
 * - drops accents that Latin-1 cannot show (e.g. "ł" stays "?", "ă" becomes "a"),
 * - and replaces anything else with "?".
 * The spreadsheet and the JSON/Markdown exports keep the original text; embedding a Unicode font
 * (e.g. Noto Sans) is the fix if the PDF must show it verbatim.
 */

const TYPOGRAPHIC: Readonly<Record<string, string>> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u2032': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u201F': '"',
  '\u2033': '"',
  '\u00AB': '"',
  '\u00BB': '"',
  '\u2039': "'",
  '\u203A': "'",
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u2022': '-',
  '\u00B7': '-',
  '\u2192': '->',
  '\u21D2': '=>',
  '\u2190': '<-',
  '\u2194': '<->',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2260': '!=',
  '\u2248': '~',
  '\u20AC': 'EUR',
  '\u2116': 'No.',
  '\u2122': '(TM)',
  '\u00A0': ' ',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u2009': ' ',
  '\u202F': ' ',
  '\u200B': '',
  '\u200C': '',
  '\u200D': '',
  '\u2060': '',
  '\uFEFF': '',
  '\u00AD': '',
  '\t': ' ',
};

const CYRILLIC: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'h', ґ: 'g', д: 'd', е: 'e', є: 'ye', ё: 'yo', ж: 'zh', з: 'z', и: 'y',
  і: 'i', ї: 'yi', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't',
  у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e',
  ю: 'yu', я: 'ya', ў: 'u',
};

function transliterate(ch: string): string | null {
  const lower = ch.toLowerCase();
  const latin = CYRILLIC[lower];
  if (latin === undefined) return null;
  if (lower === ch || latin === '') return latin;
  return latin.charAt(0).toUpperCase() + latin.slice(1);
}

const isLatin1Printable = (code: number): boolean => (code >= 0x20 && code <= 0x7e) || (code >= 0xa1 && code <= 0xff);

export function safe(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  let out = '';
  for (const ch of text.replace(/\r\n?/g, '\n')) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\n' || isLatin1Printable(code)) {
      out += ch;
      continue;
    }
    const mapped = TYPOGRAPHIC[ch] ?? transliterate(ch);
    if (mapped !== null && mapped !== undefined) {
      out += mapped;
      continue;
    }
    if (code < 0x20 || (code >= 0x7f && code < 0xa0)) continue; // control characters: drop
    // A letter with a diacritic Latin-1 lacks: keep the base letter when it is ASCII.
    const base = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    out += base.length > 0 && [...base].every((c) => isLatin1Printable(c.codePointAt(0) ?? 0)) ? base : '?';
  }
  return out;
}

// ---------- layout ----------

type Doc = PDFKit.PDFDocument;
type Layout = 'portrait' | 'landscape';

const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const ITALIC = 'Helvetica-Oblique';
const INK = '#1a1a1a';
const MUTED = '#5f6368';
const RULE = '#c8c8c8';
const ACCENT = '#2166ac';
const HEADER_BG = '#eef1f5';
const STRIPE_BG = '#f7f7f7';
const MARGIN = { top: 40, left: 40, right: 40, bottom: 50 };
/** Line height of Helvetica relative to its size (ascender + descender + gap, as pdfkit lays it). */
const LINE = 1.16;

interface TextStyle {
  font?: string;
  size?: number;
  color?: string;
}

/** Thin stateful wrapper over pdfkit: every string goes through `safe()`, pages are tracked by layout. */
class Writer {
  readonly sections: { title: string; page: number }[] = [];
  /** Where the contents list goes on the title page, filled in once section pages are known. */
  contentsY = 0;
  private layout: Layout = 'portrait';

  constructor(readonly doc: Doc) {}

  get left(): number {
    return MARGIN.left;
  }
  get right(): number {
    return this.doc.page.width - MARGIN.right;
  }
  get width(): number {
    return this.right - this.left;
  }
  get top(): number {
    return MARGIN.top;
  }
  get bottom(): number {
    return this.doc.page.height - MARGIN.bottom;
  }
  get pageIndex(): number {
    const range = this.doc.bufferedPageRange();
    return range.start + range.count - 1;
  }

  newPage(layout: Layout): void {
    this.layout = layout;
    this.doc.addPage({ size: 'A4', layout, margins: MARGIN });
    this.doc.x = this.left;
    this.doc.y = this.top;
  }

  section(title: string, layout: Layout): void {
    this.newPage(layout);
    this.sections.push({ title, page: this.pageIndex });
    this.style({ font: BOLD, size: 16, color: INK });
    this.doc.text(safe(title), this.left, this.top, { width: this.width });
    const y = this.doc.y + 3;
    this.doc.moveTo(this.left, y).lineTo(this.right, y).lineWidth(0.75).strokeColor(ACCENT).stroke();
    this.doc.y = y + 10;
  }

  /** A new page of the same layout when `height` more points do not fit. Returns true if it broke. */
  ensure(height: number): boolean {
    if (this.doc.y + height <= this.bottom) return false;
    this.newPage(this.layout);
    return true;
  }

  style(s: TextStyle): void {
    this.doc.font(s.font ?? FONT).fontSize(s.size ?? 9).fillColor(s.color ?? INK);
  }

  /** One line of text at (x, y), never wrapped and never paginated. */
  line(text: string, x: number, y: number, s: TextStyle = {}): void {
    this.style(s);
    this.doc.text(safe(text), x, y, { lineBreak: false });
  }

  /** One line truncated with "..." to `width`; `align` within that width. */
  cell(text: string, x: number, y: number, width: number, s: TextStyle = {}, align: 'left' | 'center' | 'right' = 'left'): void {
    this.style(s);
    const fitted = this.fit(safe(text), width);
    const w = this.doc.widthOfString(fitted);
    const dx = align === 'center' ? (width - w) / 2 : align === 'right' ? width - w : 0;
    this.doc.text(fitted, x + Math.max(0, dx), y, { lineBreak: false });
  }

  /** Wrapped text from (x, doc.y); moves doc.y below it. pdfkit breaks pages inside very long text. */
  para(text: string, x: number, width: number, s: TextStyle = {}, gap = 2): void {
    this.style(s);
    this.doc.text(safe(text), x, this.doc.y, { width, lineGap: 0.5 });
    this.doc.y += gap;
  }

  heightOf(text: string, width: number, s: TextStyle = {}): number {
    this.style(s);
    return this.doc.heightOfString(safe(text), { width, lineGap: 0.5 });
  }

  /** The longest prefix of `text` (already safe) that fits `width`, with "..." when cut. */
  fit(text: string, width: number): string {
    const single = text.replace(/\s*\n\s*/g, ' ');
    if (this.doc.widthOfString(single) <= width) return single;
    let lo = 0;
    let hi = single.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.doc.widthOfString(`${single.slice(0, mid).trimEnd()}...`) <= width) lo = mid;
      else hi = mid - 1;
    }
    return lo === 0 ? '' : `${single.slice(0, lo).trimEnd()}...`;
  }
}

export function layoutPdf(data: ReportData): Doc {
  const generated = parseIso(data.generatedAt) ?? new Date(0);
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: false,
    // A fixed CreationDate also fixes the file ID pdfkit derives from the info: same data, same bytes.
    info: {
      Title: safe(data.negotiation.title),
      Author: 'Parley',
      Subject: safe(`Positions as of ${data.asOf === null ? 'now' : formatInstant(data.asOf)}`),
      Creator: 'Parley',
      Producer: 'Parley (pdfkit)',
      CreationDate: generated,
      ModDate: generated,
    },
  });
  const w = new Writer(doc);
  const lookup = new ReportLookup(data);

  drawTitlePage(w, data);
  drawMatrix(w, data);
  drawChart(w, data);
  if (data.changesWindow !== null) drawChanges(w, data, lookup, data.changesWindow);
  drawNotes(w, data, lookup);
  drawContents(w);
  drawFooters(w, data);
  doc.end();
  return doc;
}

// ---------- title page ----------

function drawTitlePage(w: Writer, data: ReportData): void {
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

function drawContents(w: Writer): void {
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

function drawFooters(w: Writer, data: ReportData): void {
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

// ---------- matrix ----------

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

function drawMatrix(w: Writer, data: ReportData): void {
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

// ---------- convergence chart ----------


/** A "nice" tick step (1, 2 or 5 times a power of ten) giving about `target` ticks over `range`. */
export function niceStep(range: number, target: number): number {
  if (range <= 0) return 1;
  const raw = range / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10;
  return Math.max(1, step * mag);
}

const DAY_STEPS = [1, 2, 7, 14, 30, 61, 91, 182, 365, 730];

function drawChart(w: Writer, data: ReportData): void {
  const { doc } = w;
  w.section('Convergence over time', 'landscape');
  const all: ConvergencePoint[] = data.series
    .map((p) => ({ ...p, t: parseIso(p.date)?.getTime() ?? Number.NaN }))
    .filter((p) => Number.isFinite(p.t))
    .sort((a, b) => a.t - b.t);
  if (all.length === 0) {
    w.para('No stances recorded yet: nothing to chart.', w.left, w.width, { size: 10, color: MUTED });
    return;
  }
  w.para(
    `Points agreed (every party with a stated position at least conditional) and blocked (some party holds a red line), per ${data.seriesStep}. Numbered ticks mark milestones.`,
    w.left,
    w.width,
    { size: 8.5, color: MUTED },
    8,
  );

  // The dashboard's time axis: to a few days after the last change or the as-of date (not a year
  // of flat line up to today), and every milestone.
  const milestoneTimes = data.milestones.map((m) => parseIso(m.startsAt)?.getTime()).filter((t): t is number => t !== undefined);
  const span = convergenceSpan(all, milestoneTimes, data.asOf === null ? null : (parseIso(data.asOf)?.getTime() ?? null)) ?? { from: 0, to: DAY_MS };
  const series = all.filter((p) => (parseIso(p.date)?.getTime() ?? 0) <= span.to);
  const times = series.map((p) => parseIso(p.date)?.getTime() ?? 0);
  const tMin = span.from;
  const tMax = span.to;
  const yTop = Math.max(1, ...series.map((p) => Math.max(p.points, p.agreed, p.blocked, p.addressed)));
  const yStep = niceStep(yTop, 5);
  const yMax = Math.ceil(yTop / yStep) * yStep;

  const plot = { x0: w.left + 36, x1: w.right - 10, y0: doc.y + 22, y1: w.bottom - 130 };
  const sx = (t: number): number => plot.x0 + ((t - tMin) / (tMax - tMin)) * (plot.x1 - plot.x0);
  const sy = (v: number): number => plot.y1 - (v / yMax) * (plot.y1 - plot.y0);

  // Grid and y axis.
  for (let v = 0; v <= yMax; v += yStep) {
    const y = sy(v);
    doc
      .moveTo(plot.x0, y)
      .lineTo(plot.x1, y)
      .lineWidth(v === 0 ? 0.75 : 0.25)
      .strokeColor(v === 0 ? INK : RULE)
      .stroke();
    w.cell(String(v), plot.x0 - 34, y - 3.5, 28, { size: 7.5, color: MUTED }, 'right');
  }
  w.line('points', plot.x0 - 34, plot.y0 - 16, { size: 7.5, color: MUTED });

  // X axis: day ticks at a step that gives at most 8 labels.
  const spanDays = (tMax - tMin) / DAY_MS;
  const stepDays = DAY_STEPS.find((s) => spanDays / s <= 8) ?? Math.ceil(spanDays / 8);
  const firstTick = Math.ceil(tMin / DAY_MS) * DAY_MS;
  let lastYear = -1;
  for (let t = firstTick; t <= tMax; t += stepDays * DAY_MS) {
    const x = sx(t);
    doc
      .moveTo(x, plot.y1)
      .lineTo(x, plot.y1 + 4)
      .lineWidth(0.5)
      .strokeColor(INK)
      .stroke();
    const d = new Date(t);
    const label = d.getUTCFullYear() !== lastYear ? `${formatDayShort(d)} ${d.getUTCFullYear()}` : formatDayShort(d);
    lastYear = d.getUTCFullYear();
    w.cell(label, x - 35, plot.y1 + 7, 70, { size: 7.5, color: MUTED }, 'center');
  }

  // Milestones inside the charted period: dashed vertical ticks with a number, listed below.
  const shown: Milestone[] = data.milestones
    .filter((m) => {
      const t = parseIso(m.startsAt)?.getTime();
      return t !== undefined && t >= tMin && t <= tMax;
    })
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  // Numbers on up to three rows, each on the first row where it clears the previous number; one
  // that fits nowhere is left out (the list below names every milestone) rather than overprinted.
  const rowEnds = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  shown.forEach((m, i) => {
    const x = sx(parseIso(m.startsAt)?.getTime() ?? tMin);
    const labelRow = rowEnds.findIndex((end) => x - 6 > end);
    if (labelRow >= 0) rowEnds[labelRow] = x + 6;
    doc.save();
    doc
      .moveTo(x, plot.y0 - 4)
      .lineTo(x, plot.y1)
      .dash(2, { space: 2 })
      .lineWidth(0.5)
      .strokeColor('#7a7a7a')
      .stroke();
    doc.restore();
    if (labelRow >= 0) w.cell(String(i + 1), x - 10, plot.y0 - 13 - labelRow * 8, 20, { font: BOLD, size: 6.5, color: '#555555' }, 'center');
  });

  // Lines: agreed solid blue with dots, blocked dashed red with squares, addressed thin grey.
  const drawLine = (pick: (p: ConvergencePoint) => number, color: string, width: number, dashed: boolean, marker: 'dot' | 'square' | null): void => {
    doc.save();
    series.forEach((p, i) => {
      const x = sx(times[i]);
      const y = sy(pick(p));
      if (i === 0) doc.moveTo(x, y);
      else doc.lineTo(x, y);
    });
    if (dashed) doc.dash(5, { space: 3 });
    doc.lineWidth(width).strokeColor(color).lineJoin('round').stroke();
    doc.restore();
    if (marker !== null && series.length <= 60) {
      series.forEach((p, i) => {
        const x = sx(times[i]);
        const y = sy(pick(p));
        if (marker === 'dot') doc.circle(x, y, 2).fillColor(color).fill();
        else doc.rect(x - 2, y - 2, 4, 4).fillColor(color).fill();
      });
    }
  };
  drawLine((p) => p.addressed, '#9e9e9e', 0.75, false, null);
  drawLine((p) => p.blocked, POSITION_SWATCH.red_line.background, 1.75, true, 'square');
  drawLine((p) => p.agreed, POSITION_SWATCH.accept.background, 2, false, 'dot');

  // Legend.
  const ly = plot.y1 + 24;
  const legend: [string, string, boolean][] = [
    ['Agreed', POSITION_SWATCH.accept.background, false],
    ['Blocked', POSITION_SWATCH.red_line.background, true],
    ['Addressed (any stated position)', '#9e9e9e', false],
  ];
  let lx = plot.x0;
  for (const [label, color, dashed] of legend) {
    doc.save();
    doc.moveTo(lx, ly + 4).lineTo(lx + 22, ly + 4);
    if (dashed) doc.dash(5, { space: 3 });
    doc.lineWidth(2).strokeColor(color).stroke();
    doc.restore();
    w.line(label, lx + 27, ly, { size: 8 });
    lx += 27 + doc.widthOfString(safe(label)) + 18;
  }
  const last = all[all.length - 1];
  w.line(
    `Latest (${formatDay(last.date)}): ${last.agreed} agreed, ${last.blocked} blocked, ${last.addressed} addressed of ${last.points} points.`,
    lx,
    ly,
    { size: 8, color: MUTED },
  );

  // Milestone list.
  doc.y = ly + 20;
  if (shown.length > 0) w.para('Milestones', w.left, w.width, { font: BOLD, size: 9 }, 3);
  shown.forEach((m, i) => {
    w.ensure(12);
    const y = doc.y;
    w.line(String(i + 1), w.left, y, { font: BOLD, size: 8 });
    w.line(formatEffective(m.startsAt, m.startsPrecision), w.left + 18, y, { size: 8, color: MUTED });
    w.cell(`${m.title} (${m.kind})`, w.left + 95, y, w.width - 95, { size: 8 });
    doc.y = y + 11;
  });
  const hidden = data.milestones.length - shown.length;
  if (hidden > 0) w.para(`${hidden} milestone(s) outside the charted period are not shown.`, w.left, w.width, { size: 8, color: MUTED });
}

// ---------- changes in the window ----------

const CHANGE_COLS = [
  { key: 'date', title: 'Effective', width: 66 },
  { key: 'point', title: 'Point', width: 150 },
  { key: 'position', title: 'Position', width: 110 },
  { key: 'source', title: 'Source', width: 110 },
  { key: 'actor', title: 'Actor', width: 79 },
] as const;
type ChangeKey = (typeof CHANGE_COLS)[number]['key'];

function drawChanges(w: Writer, data: ReportData, lookup: ReportLookup, window: NonNullable<ReportData['changesWindow']>): void {
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

// ---------- per-point notes ----------

function drawNotes(w: Writer, data: ReportData, lookup: ReportLookup): void {
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
  if (e.quote) lines.push({ text: `"${e.quote}"`, style: { font: ITALIC, size: 8.5 } });
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
