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
