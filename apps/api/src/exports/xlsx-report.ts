import * as ExcelJS from 'exceljs';
import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SOURCE_KIND_LABEL, type StanceEvent } from '@parley/contracts';
import type { EventStream, ReportData } from './report-data';
import { CATEGORY_LABEL, POSITION_LABEL, POSITION_SWATCH, ReportLookup, corroboratedText, parseIso, sourceKey, summaryLabel } from './report-format';
import { addRow, addSheet, argb, cellText, type ColumnSpec, DATE_TIME, dateCell, dateFormatOf, type Sheet, solidFill, type Value } from './xlsx/cells';
import { type SourceTally, writeAbout, writeDocuments, writeParties, writePoints, writeSources } from './xlsx/reference-sheets';

export { cellText } from './xlsx/cells';
export type { SourceTally } from './xlsx/reference-sheets';

/**
 * The spreadsheet export: Matrix, Changes (every stance event), Points, Parties, Documents,
 * Sources and About sheets, written with exceljs' streaming writer so that the memory used does
 * not grow with the number of events: each row is committed (serialised and handed to the zip
 * stream) as soon as it is built, and the writer waits for `out` to drain before producing more.
 *
 * Only the distinct sources are kept while the events stream by (for the Sources sheet, written
 * last). If `out` fails (client gone), the event stream stops being read and the promise rejects.
 * If rendering fails half-way, `out` is destroyed: a truncated download, never a corrupt file
 * that looks complete. The cell toolkit is xlsx/cells.ts; the reference sheets are xlsx/reference-sheets.ts.
 */
export async function renderXlsx(data: ReportData, events: EventStream, out: NodeJS.WritableStream): Promise<void> {
  // A PassThrough between the zip and `out`: pipeline() gives us backpressure and error handling.
  const sink = new PassThrough();
  let failure: unknown = null;
  const piping = pipeline(sink, out).catch((err: unknown) => {
    failure = err;
    throw err;
  });
  piping.catch(() => undefined); // observed below; avoid an unhandled rejection meanwhile

  // exceljs hands committed rows to the zip without backpressure, so the writer paces itself: it
  // respects `out`'s backpressure and, when the zip has emitted nothing for a while (deflate is
  // slower than row building), waits for its next output chunk. That bounds what sits in the
  // zip's input buffers to a few hundred kilobytes of XML, whatever the number of events.
  let zipped = 0;
  let lastZipped = 0;
  let idleChecks = 0;
  sink.on('data', (chunk: Buffer) => {
    zipped += chunk.length;
  });
  const pace = async (): Promise<void> => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (sink.writableNeedDrain && failure === null) await once(sink, 'drain');
    idleChecks = zipped === lastZipped ? idleChecks + 1 : 0;
    if (idleChecks >= MAX_IDLE_CHECKS && failure === null) {
      // Also wake up on a timer: deflate might hold a small tail until more input comes.
      await Promise.race([once(sink, 'data'), new Promise((resolve) => setTimeout(resolve, 50))]);
      idleChecks = 0;
    }
    lastZipped = zipped;
    if (failure !== null) throw failure;
  };

  try {
    const generated = parseIso(data.generatedAt) ?? new Date(0);
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
    wb.creator = 'Parley';
    wb.lastModifiedBy = 'Parley';
    wb.title = cellText(data.negotiation.title) ?? '';
    wb.created = generated;
    wb.modified = generated;
    const lookup = new ReportLookup(data);

    writeMatrix(wb, data);
    const sources = await writeChanges(wb, events, lookup, pace);
    writePoints(wb, data);
    writeParties(wb, data, lookup);
    writeDocuments(wb, data, lookup);
    writeSources(wb, sources);
    writeAbout(wb, data);
    await wb.commit();
  } catch (err) {
    sink.destroy(err instanceof Error ? err : new Error(String(err)));
    await piping.catch(() => undefined);
    throw err;
  }
  await piping;
}

// ---------- Matrix ----------

function writeMatrix(wb: ExcelJS.stream.xlsx.WorkbookWriter, data: ReportData): void {
  const numbered = data.document === null ? 'Code' : `No. (${data.document.shortTitle || data.document.title})`;
  const columns: ColumnSpec[] = [
    { header: numbered, width: 10 },
    { header: 'Point', width: 44 },
    { header: 'Code', width: 12 },
    { header: 'Category', width: 18 },
    ...data.parties.map((p) => ({ header: `${p.code}\n${p.name}`, width: Math.min(18, Math.max(12, p.code.length + 2)) })),
    { header: 'Summary', width: 13 },
    { header: 'Stated', width: 8 },
    { header: 'Silent', width: 8 },
    { header: 'Spread', width: 8 },
    { header: 'Corroborated (2+ outlets)', width: 24 },
  ];
  const ws = addSheet(wb, 'Matrix', columns, 2);
  const firstParty = 5;
  for (const row of data.rows) {
    const r = addRow(
      ws,
      [
        row.number ?? row.point.code,
        row.point.title,
        row.point.code,
        CATEGORY_LABEL[row.point.category],
        ...data.parties.map((p) => {
          const stance = row.cells[p.id]?.stance ?? null;
          return stance === null ? null : POSITION_LABEL[stance.position];
        }),
        summaryLabel(row),
        row.summary.stated,
        row.summary.silent.length,
        row.summary.spread,
        corroboratedText(row, data.parties) || null,
      ],
      columns,
    );
    data.parties.forEach((p, i) => {
      const stance = row.cells[p.id]?.stance ?? null;
      if (stance === null) return;
      const swatch = POSITION_SWATCH[stance.position];
      const cell = r.getCell(firstParty + i);
      cell.fill = solidFill(swatch.background);
      cell.font = { color: { argb: argb(swatch.color) }, bold: true };
      cell.alignment = { horizontal: 'center' };
    });
    const summary = r.getCell(firstParty + data.parties.length);
    if (row.summary.blocked) summary.font = { bold: true, color: { argb: argb(POSITION_SWATCH.red_line.background) } };
    else if (row.summary.agreed) summary.font = { bold: true, color: { argb: argb(POSITION_SWATCH.accept.background) } };
    r.commit();
  }
  ws.commit();
}

// ---------- Changes ----------

const CHANGE_COLUMNS: ColumnSpec[] = [
  { header: 'Seq', width: 8 },
  { header: 'Event id', width: 38 },
  { header: 'Recorded at (UTC)', width: 20, numFmt: DATE_TIME },
  { header: 'Recorded by', width: 20 },
  { header: 'Effective at (UTC)', width: 20 },
  { header: 'Effective precision', width: 10 },
  { header: 'Party code', width: 10 },
  { header: 'Party', width: 22 },
  { header: 'Point code', width: 12 },
  { header: 'Point', width: 40 },
  { header: 'Position', width: 13 },
  { header: 'Score', width: 7 },
  { header: 'Confidence', width: 12 },
  { header: 'Conditions', width: 40 },
  { header: 'Condition points', width: 16 },
  { header: 'Note', width: 40 },
  { header: 'Quote', width: 40 },
  { header: 'Quote language', width: 10 },
  { header: 'Translation', width: 40 },
  { header: 'Translation language', width: 10 },
  { header: 'Actor', width: 22 },
  { header: 'Source URL', width: 40 },
  { header: 'Source outlet', width: 20 },
  { header: 'Source title', width: 30 },
  { header: 'Source published (UTC)', width: 20, numFmt: DATE_TIME },
  { header: 'Source kind', width: 16 },
  { header: 'Source language', width: 10 },
  { header: 'Document id', width: 38 },
  { header: 'Document', width: 30 },
  { header: 'Milestone id', width: 38 },
  { header: 'Milestone', width: 30 },
  { header: 'Retracted', width: 10 },
  { header: 'Retraction reason', width: 30 },
  { header: 'Retracted at (UTC)', width: 20, numFmt: DATE_TIME },
  { header: 'Retracted by', width: 20 },
];
const POSITION_COLUMN = 11;
const EFFECTIVE_COLUMN = 5;
/** Rows committed between two checks of the output's backpressure. */
const PACE_EVERY = 500;
/** Checks without zip output after which the writer waits for the zip to catch up. */
const MAX_IDLE_CHECKS = 4;

export function changeRow(e: StanceEvent, lookup: ReportLookup): Value[] {
  const party = lookup.party(e.partyId);
  const point = lookup.point(e.pointId);
  const doc = lookup.document(e.documentId);
  return [
    e.seq,
    e.id,
    dateCell(e.recordedAt),
    e.recordedBy,
    dateCell(e.effectiveAt),
    e.effectivePrecision,
    party.code,
    party.name,
    point.code,
    point.title,
    POSITION_LABEL[e.position],
    e.score,
    e.confidence,
    e.conditions.text,
    e.conditions.pointIds.map((id) => lookup.point(id).code).join(', ') || null,
    e.note,
    e.quote,
    e.quoteLanguage,
    e.translation,
    e.translationLanguage,
    lookup.actorName(e.actorId),
    e.source.url,
    e.source.outlet,
    e.source.title,
    dateCell(e.source.publishedAt),
    e.source.kind === null ? null : SOURCE_KIND_LABEL[e.source.kind],
    e.source.language,
    e.documentId,
    doc?.title ?? null,
    e.milestoneId,
    lookup.milestoneTitle(e.milestoneId),
    e.retraction === null ? 'no' : 'yes',
    e.retraction?.reason ?? null,
    dateCell(e.retraction?.recordedAt),
    e.retraction?.recordedBy ?? null,
  ];
}

/**
 * exceljs (4.4.0) pipes a worksheet's XML into the zip without looking at the zip's back-pressure:
 * when deflate is slower than row building, the XML piles up in the zip entry's input buffer (at a
 * million events, a gigabyte). So wait here until that buffer has drained. This reads exceljs's
 * internals (the sheet's StreamBuf and its pipe), pinned by the exact version in package.json.
 */
async function zipCaughtUp(ws: Sheet): Promise<void> {
  const entry = (ws as unknown as { stream?: { pipes?: Writable[] } }).stream?.pipes?.[0];
  while (entry && !entry.destroyed && entry.writableNeedDrain) await once(entry, 'drain');
}

async function writeChanges(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  events: EventStream,
  lookup: ReportLookup,
  pace: () => Promise<void>,
): Promise<Map<string, SourceTally>> {
  const ws = addSheet(wb, 'Changes', CHANGE_COLUMNS, 1);
  const sources = new Map<string, SourceTally>();
  let n = 0;
  for await (const e of events) {
    const row = addRow(ws, changeRow(e, lookup), CHANGE_COLUMNS);
    row.getCell(EFFECTIVE_COLUMN).numFmt = dateFormatOf(e.effectivePrecision);
    const swatch = POSITION_SWATCH[e.position];
    const pos = row.getCell(POSITION_COLUMN);
    pos.fill = solidFill(swatch.background);
    pos.font = { color: { argb: argb(swatch.color) } };
    row.commit();

    const key = sourceKey(e.source);
    const tally = sources.get(key);
    if (tally) tally.events += 1;
    else sources.set(key, { ...e.source, events: 1 });

    if (++n % PACE_EVERY === 0) {
      await zipCaughtUp(ws);
      await pace();
    }
  }
  ws.commit();
  return sources;
}
