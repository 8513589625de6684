// The PDFKit namespace (the document's type) comes with pdfkit's declarations.
import type {} from 'pdfkit';
import { BOLD, FONT, ITALIC, ITALIC_ANGLE, registerFonts } from './fonts';
import { safe } from './safe-text';

/**
 * The PDF briefing's small drawing toolkit: page geometry, the house style (fonts, colours) and a
 * thin writer over pdfkit that every section draws with.
 */

export type Doc = PDFKit.PDFDocument;
export type Layout = 'portrait' | 'landscape';

export { BOLD, FONT, ITALIC };
export const INK = '#1a1a1a';
export const MUTED = '#5f6368';
export const RULE = '#c8c8c8';
export const ACCENT = '#2166ac';
export const HEADER_BG = '#eef1f5';
export const STRIPE_BG = '#f7f7f7';
export const MARGIN = { top: 40, left: 40, right: 40, bottom: 50 };
/** Line height of the font relative to its size (ascender + descender + gap, as pdfkit lays it: 1.164 for DejaVu Sans). */
export const LINE = 1.16;

export interface TextStyle {
  font?: string;
  size?: number;
  color?: string;
}

/** Thin stateful wrapper over pdfkit: every string goes through `safe()`, pages are tracked by layout. */
export class Writer {
  readonly sections: { title: string; page: number }[] = [];
  /** Where the contents list goes on the title page, filled in once section pages are known. */
  contentsY = 0;
  private layout: Layout = 'portrait';
  /** pdfkit's `oblique` option for the current style: the slant of ITALIC, or none. */
  private oblique: number | false = false;

  constructor(readonly doc: Doc) {
    registerFonts(doc);
  }

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
    this.oblique = s.font === ITALIC ? ITALIC_ANGLE : false;
    this.doc.font(s.font === undefined || s.font === ITALIC ? FONT : s.font).fontSize(s.size ?? 9).fillColor(s.color ?? INK);
  }

  /** One line of text at (x, y), never wrapped and never paginated. */
  line(text: string, x: number, y: number, s: TextStyle = {}): void {
    this.style(s);
    this.doc.text(safe(text), x, y, { lineBreak: false, oblique: this.oblique });
  }

  /** One line truncated with "..." to `width`; `align` within that width. */
  cell(text: string, x: number, y: number, width: number, s: TextStyle = {}, align: 'left' | 'center' | 'right' = 'left'): void {
    this.style(s);
    const fitted = this.fit(safe(text), width);
    const w = this.doc.widthOfString(fitted);
    const dx = align === 'center' ? (width - w) / 2 : align === 'right' ? width - w : 0;
    this.doc.text(fitted, x + Math.max(0, dx), y, { lineBreak: false, oblique: this.oblique });
  }

  /** Wrapped text from (x, doc.y); moves doc.y below it. pdfkit breaks pages inside very long text. */
  para(text: string, x: number, width: number, s: TextStyle = {}, gap = 2): void {
    this.style(s);
    this.doc.text(safe(text), x, this.doc.y, { width, lineGap: 0.5, oblique: this.oblique });
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
