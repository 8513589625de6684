import { parse } from 'csv-parse/sync';
import type { StanceEvent } from '@parley/contracts';
import { renderPdf } from '../src/exports/pdf-report';
import { renderXlsx } from '../src/exports/xlsx-report';
import { buildReport, renderToBuffer, SMALL_CELLS } from '../src/testing/report-fixture';
import { buildUnicodeReport, UNICODE_TEXT } from '../src/testing/unicode-report';
import { libreOfficeCsv, pdfInfo, pdfText, workDir } from './programs';

// The renderers' files opened by poppler and LibreOffice; src/exports/*.spec.ts check the same files
// in detail with JavaScript readers.

describe('the PDF briefing in poppler', () => {
  const small = buildReport({ parties: 4, points: 6, cells: SMALL_CELLS });
  const files = workDir();
  let file: string;
  beforeAll(async () => {
    file = files.write('small.pdf', await renderToBuffer((out) => renderPdf(small, out)));
  });
  afterAll(() => files.cleanup());

  it('pdfinfo reads the title, the author and the pages; pdftotext finds the page numbers on every page', () => {
    const info = pdfInfo(file);
    expect(info).toMatchObject({ title: 'US peace plan for Ukraine (2025)', author: 'Parley' });
    expect(info.pages).toBeGreaterThan(1);
    for (let n = 1; n <= info.pages; n++) expect(pdfText(file, n)).toContain(`Page ${n} of ${info.pages}`);
    const all = pdfText(file);
    expect(all).toContain('Positions as of 30 Nov 2025, as known at 1 Dec 2025, 08:00 UTC');
    for (const r of small.rows) expect(all).toContain(r.point.title);
  });

  it('lays the matrix out in rows: point, category, one label per party, summary', () => {
    const matrix = pdfText(file, 2);
    expect(matrix).toMatch(/Size of Ukraine’s armed forces\s+Military\s+Acc\s+Cond\*\s+Acc\s+-\s+Agreed/);
    expect(matrix).toMatch(/Security guarantees modelled on Article 5\s+Security guarantees\s+-\s+Cond\*\s+RED\s+-\s+Blocked/);
    expect(matrix).toMatch(/Amnesty for all parties\s+Legal\s+Acc\s+Cond\*\s+-\s+-\s+Agreed/);
  });
});

describe('the PDF briefing in any script, in poppler', () => {
  it('pdftotext gives back Russian and Ukrainian quotes, Greek, accented Latin and symbols exactly; pdfinfo the Cyrillic title', async () => {
    const files = workDir();
    try {
      const file = files.write('unicode.pdf', await renderToBuffer((out) => renderPdf(buildUnicodeReport(), out)));
      expect(pdfInfo(file).title).toBe(UNICODE_TEXT.title);
      const all = pdfText(file);
      for (const quote of [UNICODE_TEXT.russian, UNICODE_TEXT.ukrainian, UNICODE_TEXT.greek]) expect(all).toContain(`"${quote}"`);
      expect(all).toContain(`Note: ${UNICODE_TEXT.latin}`);
      expect(all).toContain(`Conditions: ${UNICODE_TEXT.symbols}`);
      expect(all).toContain(UNICODE_TEXT.pointTitle);
    } finally {
      files.cleanup();
    }
  });
});

describe('the workbook in LibreOffice', () => {
  it('opens, and the CSV of its first sheet shows the matrix labels', async () => {
    const report = buildReport({ parties: 4, points: 6, cells: SMALL_CELLS, since: '2025-01-01T00:00:00.000Z' });
    async function* events(): AsyncGenerator<StanceEvent> {
      yield* report.changes;
    }
    const files = workDir();
    try {
      const file = files.write('report.xlsx', await renderToBuffer((out) => renderXlsx(report, events(), out)));
      const rows = (parse(libreOfficeCsv(file)) as string[][]).map((cells) => cells.join(','));
      expect(rows.some((r) => r.includes('Size of Ukraine\u2019s armed forces'))).toBe(true);
      expect(rows.some((r) => r.includes('Accept,Conditional,Accept,,Agreed'))).toBe(true);
      expect(rows.some((r) => r.includes(',Red line,'))).toBe(true);
    } finally {
      files.cleanup();
    }
  });
});
