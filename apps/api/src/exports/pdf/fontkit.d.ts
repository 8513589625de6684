/**
 * The little of fontkit (pdfkit's own font engine, pinned beside it) that the briefing uses: which
 * code points a font file has glyphs for. fontkit ships no type declarations.
 */
declare module 'fontkit' {
  export interface Font {
    /** Every Unicode code point the font's cmap maps to a glyph. */
    readonly characterSet: number[];
    readonly postscriptName: string;
  }
  export function create(buffer: Buffer): Font;
}
