import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { readPdf } from '../src/testing/pdf-text';
import { seed, stance, startApp, type Seeded, type TestApp } from './harness';

// A briefing in any script: names, titles and quotes in Russian, Ukrainian, Greek and accented Latin
// go in through the API and come back out of every export exactly (src/exports/pdf/unicode.spec.ts
// checks the PDF renderer alone, test-interop/ the same PDF in poppler).

const TITLE = 'Мирні переговори (2025)';
const POINT = 'Запорізька АЕС під контролем МАГАТЕ';
const QUOTES = { AA: 'Запорожская АЭС останется российской', BB: 'Ґарантії безпеки: єдність, і їхня ціна' };
const OUTLET = 'Ελληνική ραδιοφωνία';
const HEADLINE = 'Łódź, Gdańsk: “≥ 2 sides” → talks';

describe('exports in any script', () => {
  let t: TestApp;
  let s: Seeded;
  let base: string;
  const download = async (p: string): Promise<Buffer> => {
    const res = await fetch(t.url + p, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };

  beforeAll(async () => {
    t = await startApp();
    s = await seed(t, TITLE);
    base = `/api/negotiations/${s.negotiationId}`;
    const point = await t.post(`${base}/points`, { title: POINT, category: 'security_guarantees' });
    expect(point.status).toBe(201);
    for (const [i, quote] of [QUOTES.AA, QUOTES.BB].entries()) {
      const res = await t.post(`${base}/stances`, stance(s.parties[i].id, point.body.id, { position: 'red_line', quote, source: { outlet: OUTLET, title: HEADLINE } }));
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => t.close());

  it('PDF: the Russian and the Ukrainian quote, the Cyrillic titles, Greek and accented Latin come back exactly', async () => {
    const pdf = await readPdf(await download(`${base}/export.pdf`));
    expect(pdf.title).toBe(TITLE);
    expect(pdf.pages[0]).toContain(TITLE);
    const notes = pdf.all.slice(pdf.all.lastIndexOf('Notes by point'));
    expect(notes).toContain(POINT);
    expect(notes).toContain(`"${QUOTES.AA}"`);
    expect(notes).toContain(`"${QUOTES.BB}"`);
    expect(notes).toContain(`Source: ${OUTLET}, ${HEADLINE}`);
  });

  it('CSV and XLSX: the same texts, unchanged', async () => {
    const rows = parse((await download(`${base}/export.csv?table=changes`)).toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r['party'], r['quote'], r['sourceOutlet'], r['sourceTitle']])).toEqual([
      ['AA', QUOTES.AA, OUTLET, HEADLINE],
      ['BB', QUOTES.BB, OUTLET, HEADLINE],
    ]);
    const matrix = parse((await download(`${base}/export.csv`)).toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(matrix.map((r) => r['title'])).toContain(POINT);

    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await download(`${base}/export.xlsx`)) as unknown as ArrayBuffer);
    const cells: string[] = [];
    for (const sheet of ['Changes', 'Matrix', 'Sources']) {
      book.getWorksheet(sheet)!.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value ?? ''))));
    }
    expect(cells).toEqual(expect.arrayContaining([QUOTES.AA, QUOTES.BB, POINT, OUTLET, HEADLINE]));
  });
});
