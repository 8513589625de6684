import { PassThrough } from 'node:stream';
import * as ExcelJS from 'exceljs';
import { POSITION_LABEL } from '@parley/contracts';
import type { StanceEvent } from '@parley/contracts';
import { POSITION_SWATCH } from './report-format';
import { renderXlsx } from './xlsx-report';

import { buildReport, renderToBuffer, SMALL_CELLS } from '../testing/report-fixture';

// Read back with exceljs; test-interop/ opens the same workbook in LibreOffice.
async function* streamOf(events: StanceEvent[]): AsyncGenerator<StanceEvent> {
  for (const e of events) yield e;
}

async function load(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  return wb;
}

const sheet = (wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet => {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
};

/** Header → cell value of one row. */
function record(ws: ExcelJS.Worksheet, rowNumber: number): Record<string, ExcelJS.CellValue> {
  const out: Record<string, ExcelJS.CellValue> = {};
  ws.getRow(1).eachCell((cell, col) => {
    out[String(cell.value)] = ws.getRow(rowNumber).getCell(col).value;
  });
  return out;
}

describe('renderXlsx', () => {
  // since = before every event, so report.changes holds the full event list for the stream.
  const report = buildReport({ parties: 4, points: 6, cells: SMALL_CELLS, since: '2025-01-01T00:00:00.000Z' });
  // One stance corroborated by three outlets, for the Matrix sheet's last column.
  const firstCell = report.rows[0].cells[report.parties[0].id];
  if (firstCell) firstCell.corroboration = { outlets: 3, sources: 4, corroborated: true };
  const milestoneId = report.milestones[1].id;
  const events: StanceEvent[] = report.changes.map((e, i) =>
    i === 1
      ? {
          ...e,
          note: '=HYPERLINK("http://evil.example","click")',
          milestoneId,
          retraction: {
            id: '00000000-0000-4000-8900-000000000001',
            seq: 99,
            reason: 'Misattributed quote',
            recordedAt: '2025-11-28T10:15:00.000Z',
            recordedBy: 'editor@example.org',
          },
        }
      : e,
  );
  let xlsx: Buffer;
  let wb: ExcelJS.Workbook;

  beforeAll(async () => {
    xlsx = await renderToBuffer((out) => renderXlsx(report, streamOf(events), out));
    wb = await load(xlsx);
  });

  it('has the sheets in order, frozen header rows and first columns, and auto-filters', () => {
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['Matrix', 'Changes', 'Points', 'Parties', 'Documents', 'Sources', 'About']);
    const matrix = sheet(wb, 'Matrix');
    expect(matrix.views[0]).toMatchObject({ state: 'frozen', xSplit: 2, ySplit: 1 });
    expect(sheet(wb, 'Changes').views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(matrix.autoFilter).toBeTruthy();
    expect(matrix.getColumn(2).width).toBeGreaterThan(30);
  });

  it('writes the matrix: one row per point, the position label and fill per party, the summary', () => {
    const ws = sheet(wb, 'Matrix');
    const header = ws.getRow(1).values as ExcelJS.CellValue[];
    expect(header.slice(1, 5)).toEqual(['No. (US-28)', 'Point', 'Code', 'Category']);
    expect(header.slice(5, 9)).toEqual(report.parties.map((p) => `${p.code}\n${p.name}`));
    expect(header[9]).toBe('Summary');
    expect(ws.rowCount).toBe(1 + report.rows.length);
    report.rows.forEach((row, r) => {
      const xl = ws.getRow(r + 2);
      expect(xl.getCell(1).value).toBe(row.number);
      expect(xl.getCell(2).value).toBe(row.point.title);
      report.parties.forEach((p, c) => {
        const stance = row.cells[p.id]?.stance ?? null;
        const cell = xl.getCell(5 + c);
        if (stance === null) {
          expect(cell.value).toBeNull();
        } else {
          expect(cell.value).toBe(POSITION_LABEL[stance.position]);
          const fill = cell.fill as ExcelJS.FillPattern;
          expect(fill.fgColor?.argb).toBe(`FF${POSITION_SWATCH[stance.position].background.slice(1).toUpperCase()}`);
        }
      });
    });
    // Spot checks against the fixture: point 1 is agreed, point 2 blocked by RU's red line.
    expect(ws.getRow(2).getCell(9).value).toBe('Agreed');
    expect(ws.getRow(3).getCell(7).value).toBe('Red line');
    expect(ws.getRow(3).getCell(9).value).toBe('Blocked');
    expect(header[13]).toBe('Corroborated (2+ outlets)');
    expect(firstCell?.stance).not.toBeNull();
    expect(ws.getRow(2).getCell(13).value).toBe(`${report.parties[0].code} (3 outlets)`);
    expect(ws.getRow(3).getCell(13).value).toBeNull();
  });

  it('writes every stance event to Changes with all its fields and real dates', () => {
    const ws = sheet(wb, 'Changes');
    expect(ws.rowCount).toBe(1 + events.length);
    const e = events[1];
    const row = record(ws, 3);
    expect(row).toEqual({
      Seq: e.seq,
      'Event id': e.id,
      'Recorded at (UTC)': new Date(e.recordedAt),
      'Recorded by': 'analyst@example.org',
      'Effective at (UTC)': new Date(e.effectiveAt),
      'Effective precision': 'day',
      'Party code': 'UA',
      Party: 'Ukraine',
      'Point code': 'P001',
      Point: 'Size of Ukraine\u2019s armed forces',
      Position: 'Reject',
      Score: -1,
      Confidence: 'reported',
      Conditions: null,
      'Condition points': null,
      Note: '=HYPERLINK("http://evil.example","click")',
      Quote: null,
      'Quote language': null,
      Translation: null,
      'Translation language': null,
      Actor: 'Volodymyr Zelensky',
      'Source URL': 'https://news.example.org/2',
      'Source outlet': 'Kyiv Independent',
      'Source title': 'Report 2',
      'Source published (UTC)': new Date('2025-11-19T00:00:00.000Z'),
      'Source kind': 'News report',
      'Source language': 'en',
      'Document id': report.documents[0].id,
      Document: 'US 28-point draft',
      'Milestone id': milestoneId,
      Milestone: 'Geneva talks',
      Retracted: 'yes',
      'Retraction reason': 'Misattributed quote',
      'Retracted at (UTC)': new Date('2025-11-28T10:15:00.000Z'),
      'Retracted by': 'editor@example.org',
    });
    expect(ws.getRow(3).getCell(3).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(ws.getRow(3).getCell(5).numFmt).toBe('yyyy-mm-dd');
    // A stance with conditions lists the linked point codes; a non-retracted one says "no".
    const conditional = record(ws, 1 + events.findIndex((x) => x.conditions.text === 'Only with a binding treaty') + 1);
    expect(conditional).toMatchObject({ Conditions: 'Only with a binding treaty', 'Condition points': 'P001', Retracted: 'no', 'Retracted at (UTC)': null });
    // Unicode text is kept as it is (the PDF prints it as it is, too).
    const quoted = events.findIndex((x) => x.quote?.startsWith('\u041c\u0438') ?? false);
    expect(record(ws, quoted + 2).Quote).toBe('\u041c\u0438 \u043d\u0435 \u0432\u0456\u0434\u0434\u0430\u043c\u043e \u0414\u043e\u043d\u0431\u0430\u0441');
  });

  it('stores text starting with "=" as a string, never as a formula', () => {
    const note = sheet(wb, 'Changes').getRow(3).getCell(16);
    expect(note.type).toBe(ExcelJS.ValueType.String);
    expect(note.formula).toBeUndefined();
    const provision = sheet(wb, 'Documents').getRow(2).getCell(8);
    expect(provision.value).toBe('=Provision text 1');
    expect(provision.type).toBe(ExcelJS.ValueType.String);
  });

  it('writes the reference sheets: points, parties with actors, one row per provision, distinct sources', () => {
    expect(sheet(wb, 'Points').rowCount).toBe(1 + report.allPoints.length);
    const parties = sheet(wb, 'Parties');
    expect(record(parties, 3)).toMatchObject({ Code: 'UA', Name: 'Ukraine', Actors: 'Volodymyr Zelensky (lead); \u0410\u043d\u0434\u0440\u0456\u0439 \u0404\u0440\u043c\u0430\u043a' });
    const documents = sheet(wb, 'Documents');
    expect(documents.rowCount).toBe(1 + report.documents[0].provisions.length);
    expect(record(documents, 2)).toMatchObject({ Document: 'US 28-point draft', 'No.': '1', 'Point code': 'P001', 'Published (UTC)': new Date('2025-11-20T00:00:00.000Z') });
    const sources = sheet(wb, 'Sources');
    // Every fixture event cites its own URL.
    expect(sources.rowCount).toBe(1 + events.length);
    expect(record(sources, 2)).toMatchObject({ Outlet: 'Kyiv Independent', Kind: 'News report', Language: 'en', 'Events citing': 1 });
    expect(record(sheet(wb, 'About'), 5)).toEqual({ Field: 'Positions as of', Value: '30 Nov 2025' });
  });

  it('counts the events citing each source', async () => {
    const shared = events.map((e) => ({ ...e, source: { ...e.source, id: events[0].source.id, url: 'https://tass.example/1', title: 'Same story' } }));
    const buffer = await renderToBuffer((out) => renderXlsx(report, streamOf(shared), out));
    const ws = sheet(await load(buffer), 'Sources');
    expect(ws.rowCount).toBe(2);
    expect(record(ws, 2)).toMatchObject({ URL: 'https://tass.example/1', 'Events citing': events.length });
  });

  it('streams many events', async () => {
    const many = Array.from({ length: 5_000 }, (_, i) => ({ ...events[i % events.length], seq: i + 1, id: `e-${i}` }));
    const buffer = await renderToBuffer((out) => renderXlsx(report, streamOf(many), out));
    const ws = sheet(await load(buffer), 'Changes');
    expect(ws.rowCount).toBe(5_001);
    expect(ws.getRow(5_001).getCell(1).value).toBe(5_000);
  });

  it('rejects and stops reading events when the output fails', async () => {
    let read = 0;
    async function* endless(): AsyncGenerator<StanceEvent> {
      for (;;) {
        read += 1;
        yield events[read % events.length];
      }
    }
    const out = new PassThrough();
    out.resume();
    setImmediate(() => out.destroy(new Error('client went away')));
    await expect(renderXlsx(report, endless(), out)).rejects.toThrow();
    const after = read;
    await new Promise((resolve) => setImmediate(resolve));
    expect(read).toBe(after);
  });
});
