import { parse } from 'csv-parse/sync';
import type { MatrixView } from '@parley/contracts';
import { DemoLoader } from '../src/demo/demo-loader.service';
import { UKRAINE_2025 } from '../src/demo/ukraine-2025';
import { startApp, type TestApp } from '../test/harness';
import { libreOfficeCsv, pdfInfo, pdfText, pythonCsvRows, workDir } from './programs';

const base = `/api/negotiations/${UKRAINE_2025.negotiation.slug}`;

/** What a spreadsheet runs as a formula at the start of a cell (OWASP's list, with tab and CR). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Calc keeps a line break inside a cell as LF. */
const lf = (rows: string[][]) => rows.map((cells) => cells.map((c) => c.replace(/\r\n?/g, '\n')));

describe('exports opened by other programs (the demo through the HTTP API)', () => {
  let t: TestApp;
  const files = workDir();
  beforeAll(async () => {
    t = await startApp();
    await t.app.get(DemoLoader).load(UKRAINE_2025);
  });
  afterAll(async () => {
    files.cleanup();
    await t.close();
  });

  async function download(path: string): Promise<Buffer> {
    const res = await fetch(t.url + path, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  }

  describe('CSV with line breaks, quotes and formulas in its cells', () => {
    beforeAll(async () => {
      const matrix = (await t.get(`${base}/matrix`)).body as MatrixView;
      const ua = matrix.parties.find((p) => p.code === 'UA')!;
      const point = await t.post(`${base}/points`, { title: 'Grain corridor\n=1+2', category: 'economy' });
      expect(point.status).toBe(201);
      const recorded = await t.post(`${base}/stances`, {
        partyId: ua.id,
        pointId: point.body.id,
        position: 'conditional',
        confidence: 'reported',
        effectiveAt: '2025-12-20',
        source: { outlet: '@wire', title: '-1 day' },
        conditions: { text: 'first line; second, with comma\n\tindented =1' },
        note: "see source\n=cmd|' /C calc'!A0",
        quote: '@SUM(1+1)\r\n-2+3\r+cmd, "quoted"',
      });
      expect(recorded.status).toBe(201);
    });

    for (const table of ['matrix', 'changes'] as const) {
      it(`${table}: Python's csv and LibreOffice read the rows and cells csv-parse reads, and no formula`, async () => {
        const file = files.write(`${table}.csv`, await download(`${base}/export.csv?table=${table}&bom=true`));
        const expected = parse(await download(`${base}/export.csv?table=${table}`)) as string[][];
        expect(expected.length).toBeGreaterThan(10);
        expect(expected.flat().some((cell) => cell.includes('\n'))).toBe(true);

        const python = pythonCsvRows(file);
        expect(python).toEqual(expected);

        const calc = parse(libreOfficeCsv(file)) as string[][];
        expect(lf(calc)).toEqual(lf(expected));
        // Calc writes a cell it took for a formula as "=…": none is.
        for (const cell of calc.flat()) expect(cell).not.toMatch(FORMULA_START);
      });
    }
  });

  it('the PDF briefing in poppler: the date, every party, every point title, a known change as a table row, the pages', async () => {
    const file = files.write('briefing.pdf', await download(`${base}/export.pdf?asOf=2025-12-29&since=2025-11-20`));
    const text = pdfText(file).replace(/\s+/g, ' ');
    // The plan as of the briefing's date: a point tabled later (one an earlier case added) is not in it.
    const then = (await t.get(`${base}/matrix?asOf=2025-12-29`)).body as MatrixView;
    expect(then.rows.length).toBeGreaterThan(20);
    expect(text).toContain('Positions as of 29 Dec 2025');
    for (const party of then.parties) expect(text).toContain(party.code);
    const alnum = (s: string) => s.replace(/[^A-Za-z0-9]/g, '');
    for (const row of then.rows) expect(alnum(text)).toContain(alnum(row.point.title));
    expect(text).toContain('Changes effective between 20 Nov 2025 and 29 Dec 2025');
    // -layout keeps the row together: the position stands beside the first line of the wrapped title
    // (Russia on the army cap, 24 Dec: from rejecting Europe's 800,000 to asking for a lower cap).
    expect(text).toMatch(/24 Dec 2025 p06 Cap on Ukraine's(?: armed)?(?: forces)? Reject -> Amend/);
    const { pages, title } = pdfInfo(file);
    expect(pages).toBeGreaterThan(2);
    expect(title).toBe(UKRAINE_2025.negotiation.title);
    expect(text).toContain(`Page ${pages} of ${pages}`);
  });
});
