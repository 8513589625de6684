import { readFileSync } from 'node:fs';
import { create } from 'fontkit';
// The PDFKit namespace (the document's type) comes with pdfkit's declarations.
import type {} from 'pdfkit';

/**
 * The briefing's typeface: DejaVu Sans Condensed (npm package dejavu-fonts-ttf, Bitstream Vera
 * licence with DejaVu's changes in the public domain; free to embed and redistribute). It covers
 * Latin with diacritics, Cyrillic (Ukrainian ґ є і ї too), Greek and the usual symbols, and its widths
 * are close to Helvetica's, for which the pages were laid out. pdfkit subsets an embedded font
 * (fontkit): only the glyphs a briefing uses go into the file.
 *
 * The files are found through the package (require.resolve), so the same code works from the built
 * app in dist/ and under ts-jest; they are read once per process, on the first briefing.
 */

export const FONT = 'Parley-Sans';
export const BOLD = 'Parley-Sans-Bold';
/**
 * Italics are the regular face slanted by DejaVu Sans Oblique's own angle (that face is the regular
 * one slanted, too): one embedded face fewer keeps the briefing small. The writer (pdf-kit.ts) draws
 * this name with FONT and pdfkit's `oblique` option.
 */
export const ITALIC = 'Parley-Sans-Oblique';
export const ITALIC_ANGLE = 11;

const FILES: Readonly<Record<string, string>> = {
  [FONT]: 'dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf',
  [BOLD]: 'dejavu-fonts-ttf/ttf/DejaVuSansCondensed-Bold.ttf',
};

/**
 * The TrueType hinting programs of a font. DejaVu Sans Condensed's glyphs carry no instructions, so
 * these tables do nothing, yet pdfkit's subsetter copies them whole into every embedded face.
 */
const HINTING = new Set(['cvt ', 'fpgm', 'prep']);

/** The font file without the tables named in `drop` (an sfnt rebuilt around the other tables, byte for byte). */
function withoutTables(font: Buffer, drop: ReadonlySet<string>): Buffer {
  const count = font.readUInt16BE(4);
  const records = Array.from({ length: count }, (_, i) => {
    const at = 12 + i * 16;
    return { tag: font.toString('latin1', at, at + 4), checksum: font.readUInt32BE(at + 4), offset: font.readUInt32BE(at + 8), length: font.readUInt32BE(at + 12) };
  }).filter((r) => !drop.has(r.tag));
  const pad = (n: number) => (n + 3) & ~3;
  const header = Buffer.alloc(12 + records.length * 16);
  font.copy(header, 0, 0, 4); // sfnt version
  const power = 2 ** Math.floor(Math.log2(records.length));
  header.writeUInt16BE(records.length, 4);
  header.writeUInt16BE(power * 16, 6);
  header.writeUInt16BE(Math.log2(power), 8);
  header.writeUInt16BE(records.length * 16 - power * 16, 10);
  const bodies: Buffer[] = [];
  let offset = header.length;
  records.forEach((r, i) => {
    const at = 12 + i * 16;
    header.write(r.tag, at, 'latin1');
    header.writeUInt32BE(r.checksum, at + 4);
    header.writeUInt32BE(offset, at + 8);
    header.writeUInt32BE(r.length, at + 12);
    const body = Buffer.alloc(pad(r.length));
    font.copy(body, 0, r.offset, r.offset + r.length);
    bodies.push(body);
    offset += body.length;
  });
  return Buffer.concat([header, ...bodies]);
}

interface Faces {
  files: [name: string, bytes: Buffer][];
  /** Code points that every face has a glyph for. */
  covered: ReadonlySet<number>;
}

let faces: Faces | null = null;

function load(): Faces {
  if (faces !== null) return faces;
  const files = Object.entries(FILES).map(([name, id]): [string, Buffer] => [name, withoutTables(readFileSync(require.resolve(id)), HINTING)]);
  const sets = files.map(([, bytes]) => create(bytes).characterSet);
  const [first, ...rest] = sets.map((s) => new Set(s));
  const covered = new Set([...first].filter((cp) => rest.every((s) => s.has(cp))));
  faces = { files, covered };
  return faces;
}

/** Makes the faces known to `doc` under FONT and BOLD. */
export function registerFonts(doc: PDFKit.PDFDocument): void {
  for (const [name, bytes] of load().files) doc.registerFont(name, bytes);
}

/**
 * Whether the briefing can draw `codePoint`: every face has a glyph for it, so a string measured in
 * one face and drawn in another cannot meet a missing glyph.
 */
export function hasGlyph(codePoint: number): boolean {
  return load().covered.has(codePoint);
}
