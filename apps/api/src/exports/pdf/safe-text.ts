import { hasGlyph } from './fonts';

/**
 * Text as the briefing draws it. The embedded font (pdf/fonts.ts) draws Latin, Cyrillic, Greek and
 * the usual symbols as they are; every string drawn goes through `safe()`, which only
 * - joins CR LF and CR into LF, and turns a tab or a line/paragraph separator into a space or a line break,
 * - drops control characters and invisible formatting characters (zero-width spaces and joiners,
 *   soft hyphens, byte order marks, variation selectors),
 * - composes letters and their accents (NFC), so "e" + U+0301 and "é" draw alike,
 * - and replaces a character the font has no glyph for by its compatibility form when the font has
 *   that (a full-width "Ａ" becomes "A"), by a space when it is a space, and otherwise by U+FFFD "�":
 *   visible, so that a reader sees that something is missing, never a silent drop.
 * The document's metadata (title, subject) is not drawn with the font: `plain()` only cleans it.
 */

export const REPLACEMENT = '\uFFFD';

const INVISIBLE = /\p{Default_Ignorable_Code_Point}/u;
const CONTROL = /\p{Cc}/u;
const SPACE = /\s/u;

const ASCII = /^[\x20-\x7e\n]*$/;

function drawableChars(text: string): boolean {
  for (const ch of text) if (!hasGlyph(ch.codePointAt(0) ?? 0)) return false;
  return true;
}

/** What the font draws for a character it has no glyph for. */
function substitute(ch: string): string {
  if (SPACE.test(ch)) return ' ';
  const compatible = ch.normalize('NFKC');
  return compatible !== ch && compatible.length > 0 && drawableChars(compatible) ? compatible : REPLACEMENT;
}

export function safe(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  const lines = text.replace(/\r\n?|[\u2028\u2029]/g, '\n');
  if (ASCII.test(lines)) return lines; // the font has every printable ASCII character
  let out = '';
  for (const ch of lines.normalize('NFC')) {
    if (ch === '\n') out += ch;
    else if (ch === '\t') out += ' ';
    else if (CONTROL.test(ch) || INVISIBLE.test(ch)) continue;
    else out += hasGlyph(ch.codePointAt(0) ?? 0) ? ch : substitute(ch);
  }
  return out;
}

/** For the document's information (title, subject), which PDF readers show in their own fonts: line breaks and controls become spaces, invisible characters go. */
export function plain(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) out += CONTROL.test(ch) || ch === '\u2028' || ch === '\u2029' ? ' ' : INVISIBLE.test(ch) ? '' : ch;
  return out;
}
