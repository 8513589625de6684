import PDFDocument from 'pdfkit';
import { pipeline } from 'node:stream/promises';
import type { ReportData } from './report-data';
import { formatInstant, parseIso, ReportLookup } from './report-format';
import { drawChanges } from './pdf/changes';
import { drawChart } from './pdf/chart';
import { drawContents, drawFooters, drawTitlePage } from './pdf/cover';
import { drawMatrix } from './pdf/matrix';
import { drawNotes } from './pdf/notes';
import { MARGIN, Writer, type Doc } from './pdf/pdf-kit';
import { plain } from './pdf/safe-text';

export { partyGroups } from './pdf/matrix';
export { niceStep } from './pdf/chart';

/**
 * The PDF briefing: title page, the coloured matrix (split into page-high blocks and, for many
 * parties, into column groups), the convergence chart, "changes since" and per-point notes. Each
 * section is drawn by its own file in pdf/, with the drawing toolkit of pdf/pdf-kit.ts.
 *
 * Pure function of the report data; the whole document is laid out in memory (pdfkit buffers the
 * pages so that "Page n of m" can be written at the end) and only then piped to `out`, so a layout
 * error never leaves a half-written response.
 */
export async function renderPdf(data: ReportData, out: NodeJS.WritableStream): Promise<void> {
  const doc = layoutPdf(data);
  await pipeline(doc, out);
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
      Title: plain(data.negotiation.title),
      Author: 'Parley',
      Subject: plain(`Positions as of ${data.asOf === null ? 'now' : formatInstant(data.asOf)}`),
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
