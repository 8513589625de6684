import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { renderPdf } from '../pdf-report';
import { readPdf, type PdfText } from '../../testing/pdf-text';
import { buildReport, renderToBuffer } from '../../testing/report-fixture';
import { buildUnicodeReport, latinOnly, UNICODE_TEXT } from '../../testing/unicode-report';
import type { ReportData } from '../report-data';
import { hasGlyph } from './fonts';
import { plain, REPLACEMENT, safe } from './safe-text';

// The briefing in any script: the embedded font (fonts.ts) draws Cyrillic, Greek and accented Latin,
// and the text comes back exactly through a PDF text extractor (pdf.js here, poppler in test-interop/).

const pdfOf = (report: ReportData): Promise<Buffer> => renderToBuffer((out) => renderPdf(report, out));
const notesOf = (doc: PdfText): string => doc.all.slice(doc.all.lastIndexOf('Notes by point'));

/** The table tags of every TrueType font file embedded in `pdf` (FontFile2 streams, as pdfkit writes them: deflated). */
function embeddedFontTables(pdf: Buffer): string[][] {
  const text = pdf.toString('latin1');
  const fonts: string[][] = [];
  for (const ref of text.matchAll(/\/FontFile2 (\d+) 0 R/g)) {
    const head = new RegExp(`\\n${ref[1]} 0 obj\\s*<<[^>]*/Length (\\d+)[^>]*>>\\s*stream\\n`).exec(text)!;
    const font = inflateSync(pdf.subarray(head.index + head[0].length, head.index + head[0].length + Number(head[1])));
    fonts.push(Array.from({ length: font.readUInt16BE(4) }, (_, i) => font.toString('latin1', 12 + i * 16, 16 + i * 16)));
  }
  return fonts;
}

describe('the PDF briefing in any script', () => {
  const report = buildUnicodeReport();
  let pdf: Buffer;
  let doc: PdfText;
  beforeAll(async () => {
    pdf = await pdfOf(report);
    doc = await readPdf(pdf);
  });

  it('prints a Russian and a Ukrainian quote exactly, with their actors', () => {
    const notes = notesOf(doc);
    expect(notes).toContain(`"${UNICODE_TEXT.russian}"`);
    expect(notes).toContain(`"${UNICODE_TEXT.ukrainian}"`);
    expect(notes).toContain('Actor: Андрій Єрмак');
    for (const letter of ['Ґ', 'є', 'і', 'ї']) expect(notes).toContain(letter);
  });

  it('prints Greek, Latin with diacritics and typographic symbols exactly', () => {
    const notes = notesOf(doc);
    expect(notes).toContain(`"${UNICODE_TEXT.greek}"`);
    expect(notes).toContain(`Note: ${UNICODE_TEXT.latin}`);
    expect(notes).toContain(`Conditions: ${UNICODE_TEXT.symbols}`);
  });

  it('prints a Cyrillic title and point title on the pages and in the document information', () => {
    expect(doc.pages[0]).toContain(UNICODE_TEXT.title);
    expect(doc.pages[1]).toContain(UNICODE_TEXT.pointTitle); // the matrix
    expect(notesOf(doc)).toContain(`3. ${UNICODE_TEXT.pointTitle}`);
    expect(doc.title).toBe(UNICODE_TEXT.title);
  });

  it('embeds subsets of the font, not the font files: a briefing is smaller than a fifth of one font file', () => {
    const fontFile = readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf')).length;
    expect(pdf.length).toBeLessThan(fontFile / 5);
    expect(pdf.toString('latin1')).toContain('+DejaVuSansCondensed-Bold');
  });

  it('embeds two faces (italics are the regular one slanted) without the unused hinting tables', () => {
    const fonts = embeddedFontTables(pdf);
    expect(fonts).toHaveLength(2);
    for (const tables of fonts) {
      expect(tables).toEqual(expect.arrayContaining(['glyf', 'loca', 'hmtx', 'head']));
      for (const hinting of ['cvt ', 'fpgm', 'prep']) expect(tables).not.toContain(hinting);
    }
  });

  it('costs at most half again the size of the same report in Latin letters only', async () => {
    const latin = await pdfOf(latinOnly(report));
    expect([...(await readPdf(latin)).all].every((c) => c.charCodeAt(0) < 0x80)).toBe(true);
    expect(pdf.length).toBeLessThanOrEqual(1.5 * latin.length);
  });

  it('shows a character the font lacks as a visible U+FFFD, not as nothing', async () => {
    const missing = ['中', '文', '한', '🦜'];
    for (const ch of missing) expect(hasGlyph(ch.codePointAt(0)!)).toBe(false);
    const base = buildReport({ parties: 2, points: 1, cells: [{ party: 0, point: 0, position: 'accept', day: '2025-11-21', quote: 'Han 中文, Hangul 한, parrot 🦜, tab\there' }] });
    const notes = notesOf(await readPdf(await pdfOf(base)));
    expect(notes).toContain(`"Han ${REPLACEMENT}${REPLACEMENT}, Hangul ${REPLACEMENT}, parrot ${REPLACEMENT}, tab here"`);
  });
});

describe('safe()', () => {
  it('keeps Latin, Cyrillic, Greek and the usual symbols as they are', () => {
    const texts = [UNICODE_TEXT.russian, UNICODE_TEXT.ukrainian, UNICODE_TEXT.greek, UNICODE_TEXT.latin, UNICODE_TEXT.symbols, '“No” — − 5 → … Zelensky’s café ← ↔ ⇒ ≠ ≈ № • ✓ 😀 ﬁ'];
    for (const text of texts) expect(safe(text)).toBe(text);
  });

  it('composes accents, normalises line breaks and tabs, and drops control and invisible characters', () => {
    expect(safe('Запоро\u0301жье e\u0301')).toBe('Запоро́жье é'); // a stress mark stays, composed where a letter exists
    expect(safe('a\r\nb\rc\u2028d\u2029e\tf')).toBe('a\nb\nc\nd\ne f');
    expect(safe('a\u0000b\u0007c\u009fd')).toBe('abcd');
    expect(safe('zero\u200Bwidth soft\u00ADhyphen \uFEFFbom ❤\uFE0F')).toBe('zerowidth softhyphen bom ❤');
    expect(safe(null)).toBe('');
    expect(safe(undefined)).toBe('');
  });

  it('replaces what the font lacks: a compatibility form if the font has it, a space for a space, else a visible U+FFFD', () => {
    expect(safe('Ａ１ ㎏ 𝐀')).toBe('A1 kg A');
    expect(safe('a\u3000b')).toBe('a b');
    expect(safe('中文 🦜 \uD800')).toBe(`${REPLACEMENT}${REPLACEMENT} ${REPLACEMENT} ${REPLACEMENT}`);
    for (let cp = 0x20; cp < 0x7f; cp++) expect(hasGlyph(cp)).toBe(true); // safe() passes ASCII through unchecked
    expect(hasGlyph(REPLACEMENT.codePointAt(0)!)).toBe(true);
    for (const ch of 'ґєіїҐЄІЇ') expect(hasGlyph(ch.codePointAt(0)!)).toBe(true);
  });

  it('leaves the document information in any script, with line breaks as spaces and invisible characters dropped', () => {
    expect(plain('Мирний план\n中文\u200B 😀')).toBe('Мирний план 中文 😀');
  });
});
