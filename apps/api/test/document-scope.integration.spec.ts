import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { MatrixView, MetricsView, PlanDocument } from '@parley/contracts';
import { readPdf } from '../src/testing/pdf-text';
import { fingerprint, seed, stance, startApp, type Seeded, type TestApp } from './harness';

/** A download as bytes (the harness client reads text). */
async function download(t: TestApp, p: string): Promise<{ status: number; bytes: Buffer }> {
  const res = await fetch(t.url + p, { headers: { authorization: `Bearer ${t.adminToken}` } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

/**
 * Scope by document (issue 18, item 7): the matrix, metrics, the convergence series and the report
 * exports with `documentId` show that text's points only, in its numbering and order, the series
 * from its date; a clause the text dropped counts nowhere in that scope.
 */
describe('scope by document', () => {
  let t: TestApp;
  let s: Seeded;
  let base: string;
  let first: PlanDocument;
  let second: PlanDocument;

  beforeAll(async () => {
    t = await startApp();
    s = await seed(t);
    base = `/api/negotiations/${s.negotiationId}`;
    const [a, b, c, d] = s.points;
    // The first text has a, b, c; the second drops c (the blocked clause), renumbers, and adds d first.
    first = (
      await t.post(`${base}/documents`, {
        title: 'The 28-point plan',
        publishedAt: '2025-11-20',
        provisions: [
          { pointId: a.id, number: '1', text: 'Sovereignty.' },
          { pointId: b.id, number: '2', text: 'Non-aggression.' },
          { pointId: c.id, number: '3', text: 'Army capped at 600,000.' },
        ],
      })
    ).body;
    second = (
      await t.post(`${base}/documents`, {
        title: 'The 20-point plan',
        publishedAt: '2025-11-30',
        provisions: [
          { pointId: d.id, number: '1', text: 'Humanitarian committee.' },
          { pointId: b.id, number: '2', text: 'Non-aggression, reworded.' },
          { pointId: a.id, number: '3', text: 'Sovereignty.' },
        ],
      })
    ).body;
    const [aa, bb] = s.parties;
    const events = [
      stance(aa.id, a.id, { position: 'accept', effectiveAt: '2025-11-21' }),
      stance(bb.id, a.id, { position: 'conditional', effectiveAt: '2025-11-22' }),
      stance(aa.id, c.id, { position: 'red_line', effectiveAt: '2025-11-21' }),
      stance(bb.id, d.id, { position: 'amend', effectiveAt: '2025-12-01' }),
    ];
    expect((await t.post(`${base}/stances/batch`, { events })).status).toBe(201);
  });
  afterAll(() => t.close());

  it("the matrix lists the document's points only, numbered and ordered as in it", async () => {
    const res = await t.get(`${base}/matrix?documentId=${second.id}`);
    expect(res.status).toBe(200);
    const view = res.body as MatrixView;
    expect(view.documentId).toBe(second.id);
    const [a, b, , d] = s.points;
    expect(view.rows.map((r) => [r.point.id, r.number, r.text])).toEqual([
      [d.id, '1', 'Humanitarian committee.'],
      [b.id, '2', 'Non-aggression, reworded.'],
      [a.id, '3', 'Sovereignty.'],
    ]);
    // The same cells as the unscoped matrix.
    const whole = (await t.get(`${base}/matrix`)).body as MatrixView;
    expect(whole.rows).toHaveLength(4);
    for (const row of view.rows) expect(row.cells).toEqual(whole.rows.find((r) => r.point.id === row.point.id)?.cells);
    // Scoped by the first text, the dropped clause is back, with its red line.
    const then = (await t.get(`${base}/matrix?documentId=${first.id}`)).body as MatrixView;
    expect(then.rows.map((r) => [r.point.code, r.number])).toEqual([
      [a.code, '1'],
      [b.code, '2'],
      [s.points[2].code, '3'],
    ]);
    expect(then.rows[2].summary.blocked).toBe(true);
  });

  it('metrics count only the points of the document: a clause it dropped blocks nothing', async () => {
    const whole = (await t.get(`${base}/metrics`)).body as MetricsView;
    expect(whole.totals).toMatchObject({ points: 4, blocked: 1 });
    const res = await t.get(`${base}/metrics?documentId=${second.id}`);
    expect(res.status).toBe(200);
    const scoped = res.body as MetricsView;
    expect(scoped.totals).toEqual({ points: 3, agreed: 1, blocked: 0, agreedShare: 0.333 });
    expect(scoped.points.map((p) => p.pointId).sort()).toEqual([s.points[0].id, s.points[1].id, s.points[3].id].sort());
    // The series starts on the document's date and counts its points only.
    expect(scoped.series[0].date.slice(0, 10)).toBe('2025-11-30');
    expect(scoped.series.every((p) => p.points === 3 && p.blocked === 0)).toBe(true);
    expect(whole.series[0].date.slice(0, 10)).toBe('2025-11-21');
    expect(whole.series.some((p) => p.blocked === 1)).toBe(true);
    // An explicit from is honoured; a day before the document's date as asOf gives a one-day series.
    expect(((await t.get(`${base}/metrics?documentId=${second.id}&from=2025-11-25`)).body as MetricsView).series[0].date.slice(0, 10)).toBe('2025-11-25');
    const early = await t.get(`${base}/metrics?documentId=${second.id}&asOf=2025-11-25`);
    expect(early.status).toBe(200);
    expect((early.body as MetricsView).series.length).toBeLessThanOrEqual(1);
  });

  it('the CSV, Markdown, XLSX and PDF exports show the scoped rows', async () => {
    const [a, b, c, d] = s.points;
    const csv = await download(t, `${base}/export.csv?documentId=${second.id}`);
    expect(csv.status).toBe(200);
    const rows = parse(csv.bytes.toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.number, r.code])).toEqual([
      ['1', d.code],
      ['2', b.code],
      ['3', a.code],
    ]);
    const changes = parse((await download(t, `${base}/export.csv?table=changes&documentId=${second.id}`)).bytes.toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(changes).toHaveLength(3);
    expect(changes.some((r) => Object.values(r).includes(c.code))).toBe(false);

    const md = await download(t, `${base}/export.md?documentId=${second.id}`);
    expect(md.status).toBe(200);
    const text = md.bytes.toString('utf8');
    expect(text).toContain('Point 4');
    expect(text).not.toContain('Point 3');
    expect(text).toContain(`doc=${second.id}`);

    const xlsx = await download(t, `${base}/export.xlsx?documentId=${second.id}`);
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Matrix');
    const numbers: string[] = [];
    sheet?.eachRow((row, i) => {
      if (i > 1) numbers.push(`${String(row.getCell(1).value)} ${String(row.getCell(3).value)}`);
    });
    expect(numbers).toEqual([`1 ${d.code}`, `2 ${b.code}`, `3 ${a.code}`]);
    // The Changes sheet: the document's points' events only (3 of the 4).
    expect(book.getWorksheet('Changes')?.actualRowCount).toBe(3 + 1);

    const pdf = await download(t, `${base}/export.pdf?documentId=${second.id}`);
    expect(pdf.status).toBe(200);
    const pdfText = (await readPdf(pdf.bytes)).all.replace(/\s+/g, ' ');
    expect(pdfText).toContain('Point 4');
    expect(pdfText).not.toContain('Point 3');
  });

  it("refuses an unknown or another negotiation's documentId with a 400 naming it, and changes nothing", async () => {
    const other = await seed(t, 'Another negotiation');
    const foreign = (await t.post(`/api/negotiations/${other.negotiationId}/documents`, { title: 'Elsewhere', publishedAt: '2025-11-20', provisions: [] })).body as PlanDocument;
    const before = await fingerprint(t.db);
    for (const id of ['00000000-0000-4000-8000-000000000099', foreign.id]) {
      for (const path of [`matrix?documentId=${id}`, `metrics?documentId=${id}`, `export.csv?documentId=${id}`, `export.pdf?documentId=${id}`]) {
        const res = await t.get(`${base}/${path}`);
        expect({ path, status: res.status, field: res.body.details?.[0]?.field }).toEqual({ path, status: 400, field: 'query.documentId' });
      }
    }
    expect(await fingerprint(t.db)).toEqual(before);
  });
});
