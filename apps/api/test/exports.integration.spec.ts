import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { POSITION_LABEL, type MatrixView, type Position } from '@parley/contracts';
import { DemoLoader } from '../src/demo/demo-loader.service';
import { UKRAINE_2025 } from '../src/demo/ukraine-2025';
import { readPdf } from '../src/testing/pdf-text';
import { fingerprint, startApp, type TestApp } from './harness';

const SLUG = UKRAINE_2025.negotiation.slug;
const base = `/api/negotiations/${SLUG}`;

/** A download as bytes (the harness client reads text). */
async function download(t: TestApp, p: string, token: string | null = t.adminToken): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const res = await fetch(t.url + p, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

/** What a spreadsheet runs as a formula at the start of a cell (OWASP's list, with tab and CR). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** No cell, and no line inside a cell, starts a formula. */
function expectNoFormula(rows: Record<string, string>[]): void {
  for (const row of rows) {
    for (const cell of Object.values(row)) for (const line of cell.split(/\r\n|\r|\n/)) expect(line).not.toMatch(FORMULA_START);
  }
}

function postCsv(t: TestApp, query: string, csv: string) {
  return t.request('POST', `/api/negotiations/import?${query}`, csv, { 'content-type': 'text/csv' });
}

describe('exports and imports', () => {
  let t: TestApp;
  let matrix: MatrixView;
  beforeAll(async () => {
    t = await startApp();
    await t.app.get(DemoLoader).load(UKRAINE_2025);
    matrix = (await t.get(`${base}/matrix`)).body;
  });
  afterAll(() => t.close());

  describe('JSON dump', () => {
    let dumpText: string;
    beforeAll(async () => {
      const res = await download(t, `${base}/export.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toMatch(/attachment; filename=".+-dump-seq\d+\.json"/);
      dumpText = res.bytes.toString('utf8');
    });

    it('is complete: every event, retracted ones too, with its sequence number, and the gap-free change log', async () => {
      const dump = JSON.parse(dumpText);
      expect(dump).toMatchObject({ format: 'parley.negotiation-dump', version: 2, negotiation: { slug: SLUG } });
      // Every source an event cites is in the dump, and every dumped source is cited or was created on its own.
      const sourceIds = new Set((dump.sources as { id: string }[]).map((x) => x.id));
      expect(sourceIds.size).toBeGreaterThan(0);
      expect((dump.stanceEvents as { sourceId: string | null }[]).every((e) => e.sourceId === null || sourceIds.has(e.sourceId))).toBe(true);
      const changes = (await t.get(`${base}/changes?limit=1000`)).body.items as { kind: string; seq: number; event: { id: string } }[];
      const recorded = changes.filter((c) => c.kind === 'stance.recorded');
      expect(dump.stanceEvents.map((e: { id: string; seq: number }) => `${e.seq}:${e.id}`)).toEqual(recorded.map((c) => `${c.seq}:${c.event.id}`));
      expect(dump.retractions).toHaveLength(changes.filter((c) => c.kind === 'stance.retracted').length);
      expect(dump.retractions.length).toBeGreaterThan(0);
      expect(dump.changes.map((c: { seq: number }) => c.seq)).toEqual(Array.from({ length: dump.negotiation.seq }, (_, i) => i + 1));
      expect(dump.parties.map((p: { code: string }) => p.code)).toEqual(['RU', 'UA', 'US', 'EU', 'NATO']);
      expect(dump.documents).toHaveLength(4);
    });

    it('validates against the published JSON Schema, which refuses a broken dump', async () => {
      const schema = (await t.get('/api/schemas/negotiation-dump.json')).body;
      const ajv = new Ajv2020({ allErrors: true, strict: false });
      addFormats(ajv);
      const validate = ajv.compile(schema);
      expect(validate(JSON.parse(dumpText))).toBe(true);
      const broken = JSON.parse(dumpText);
      broken.stanceEvents[0].position = 'maybe';
      expect(validate(broken)).toBe(false);
    });

    it('imported into an empty installation and exported again gives the same bytes; importing again changes nothing', async () => {
      const other = await startApp();
      try {
        const dry = await other.post('/api/negotiations/import?dryRun=true', dumpText);
        expect(dry.status).toBe(200);
        expect(dry.body).toMatchObject({ dryRun: true, kind: 'dump', unchanged: false, errors: [] });
        expect(dry.body.counts.stanceEvents.created).toBe(JSON.parse(dumpText).stanceEvents.length);
        expect((await other.get('/api/negotiations')).body).toEqual([]);

        const res = await other.post('/api/negotiations/import', dumpText);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ dryRun: false, unchanged: false, negotiation: { slug: SLUG } });
        const audit = (await other.get('/api/audit?limit=5')).body.items as { action: string; actor: string }[];
        expect(audit).toContainEqual(expect.objectContaining({ action: 'negotiation.imported', actor: 'admin@test.local' }));
        const again = await download(other, `${base}/export.json`);
        expect(again.bytes.toString('utf8')).toBe(dumpText);
        // The imported negotiation works like any other: same matrix, and new writes continue its sequence.
        expect((await other.get(`${base}/matrix`)).body.rows).toEqual(matrix.rows);

        const before = await fingerprint(other.db);
        const repeat = await other.post('/api/negotiations/import', dumpText);
        expect(repeat.status).toBe(200);
        expect(repeat.body.unchanged).toBe(true);
        expect(await fingerprint(other.db)).toEqual(before);
      } finally {
        await other.close();
      }
    });

    it('a different history under the same id is refused with 409 and nothing changes', async () => {
      const changed = JSON.parse(dumpText);
      changed.stanceEvents[3].note = 'edited elsewhere';
      const before = await fingerprint(t.db);
      const res = await t.post('/api/negotiations/import', JSON.stringify(changed));
      expect(res.status).toBe(409);
      expect(res.body.message).toContain('different history');
      expect(await fingerprint(t.db)).toEqual(before);
    });

    it('a file with one bad row in the middle imports nothing and names the row; a dry run lists it and writes nothing', async () => {
      const other = await startApp();
      try {
        const bad = JSON.parse(dumpText);
        const middle = Math.floor(bad.stanceEvents.length / 2);
        bad.stanceEvents[middle].partyId = '00000000-0000-4000-8000-000000000000';
        const before = await fingerprint(other.db);
        const res = await other.post('/api/negotiations/import', JSON.stringify(bad));
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(`stanceEvents.${middle}.partyId`);
        expect(res.body.message).toContain('nothing was imported');
        expect(await fingerprint(other.db)).toEqual(before);

        const dry = await other.post('/api/negotiations/import?dryRun=true', JSON.stringify(bad));
        expect(dry.status).toBe(200);
        expect(dry.body.errors).toContainEqual({ field: `stanceEvents.${middle}.partyId`, message: expect.stringContaining('not in the file'), row: middle });
        expect(await fingerprint(other.db)).toEqual(before);

        const malformed = JSON.parse(dumpText);
        malformed.stanceEvents[middle].effectiveAt = 'last Tuesday';
        const res2 = await other.post('/api/negotiations/import', JSON.stringify(malformed));
        expect(res2.status).toBe(400);
        expect(res2.body.details.map((d: { field: string }) => d.field)).toContain(`stanceEvents.${middle}.effectiveAt`);

        const gap = JSON.parse(dumpText);
        gap.changes.splice(5, 1);
        const res3 = await other.post('/api/negotiations/import', JSON.stringify(gap));
        expect(res3.status).toBe(400);
        expect(res3.body.message).toMatch(/without gaps/);
        expect(await fingerprint(other.db)).toEqual(before);

        // Viewers replay the imported change log: each entry's data must be its kind's payload.
        const alien = JSON.parse(dumpText);
        const partyChange = alien.changes.findIndex((c: { kind: string }) => c.kind === 'party.created');
        const stanceChange = alien.changes.findIndex((c: { kind: string }) => c.kind === 'stance.recorded');
        alien.changes[partyChange].data = { id: 'someone-else' };
        alien.changes[stanceChange].data = { note: 'not a stance result' };
        const res4 = await other.post('/api/negotiations/import', JSON.stringify(alien));
        expect(res4.status).toBe(400);
        expect(res4.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining([`changes.${partyChange}.data`, `changes.${stanceChange}.data`]));
        expect(await fingerprint(other.db)).toEqual(before);
      } finally {
        await other.close();
      }
    });
  });

  describe('CSV', () => {
    it('matrix: parses with a real CSV parser and equals the API matrix, with the filters applied', async () => {
      const res = await download(t, `${base}/export.csv`);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      const text = res.bytes.toString('utf8');
      expect(text.includes('\r\n')).toBe(true);
      const rows = parse(text, { columns: true }) as Record<string, string>[];
      expect(rows).toHaveLength(matrix.rows.length);
      for (const [i, row] of matrix.rows.entries()) {
        expect(rows[i]['code']).toBe(row.point.code);
        expect(rows[i]['title']).toBe(row.point.title);
        for (const party of matrix.parties) {
          const stance = row.cells[party.id]?.stance;
          expect(rows[i][party.code]).toBe(stance ? POSITION_LABEL[stance.position] : '');
        }
        const corroborated = matrix.parties.filter((p) => row.cells[p.id]?.corroboration.corroborated).map((p) => `${p.code} (${row.cells[p.id]?.corroboration.outlets} outlets)`);
        expect(rows[i]['corroborated']).toBe(corroborated.join('; '));
      }

      const filtered = parse((await download(t, `${base}/export.csv?parties=UA,RU&category=territory`)).bytes.toString('utf8'), { columns: true }) as Record<string, string>[];
      expect(Object.keys(filtered[0])).toEqual(['number', 'code', 'title', 'category', 'status', 'spread', 'RU', 'UA', 'corroborated']);
      expect(filtered.length).toBe(matrix.rows.filter((r) => r.point.category === 'territory').length);
      expect(filtered.every((r) => r['category'] === 'territory')).toBe(true);

      const bom = (await download(t, `${base}/export.csv?bom=true`)).bytes;
      expect([...bom.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    });

    it('change log: every stance event with its fields; formula-like text cannot run in a spreadsheet', async () => {
      const ua = matrix.parties.find((p) => p.code === 'UA')!;
      const point = matrix.rows[0].point;
      const recorded = await t.post(`${base}/stances`, {
        partyId: ua.id,
        pointId: point.id,
        position: 'amend',
        confidence: 'reported',
        effectiveAt: '2025-12-30',
        source: { outlet: '@wire' },
        note: '=HYPERLINK("http://evil.example","click")',
        quote: '+1 "quoted", with comma\nand a new line',
      });
      expect(recorded.status).toBe(201);
      const text = (await download(t, `${base}/export.csv?table=changes`)).bytes.toString('utf8');
      expect(text).toContain(`'=HYPERLINK`);
      const rows = parse(text, { columns: true }) as Record<string, string>[];
      const total = JSON.parse((await download(t, `${base}/export.json`)).bytes.toString('utf8')).stanceEvents.length;
      expect(rows).toHaveLength(total);
      const last = rows.at(-1)!;
      expect(last).toMatchObject({ party: 'UA', point: point.code, position: 'amend', effectiveAt: '2025-12-30', sourceOutlet: `'@wire`, quote: `'+1 "quoted", with comma\nand a new line` });
      expect(rows.some((r) => r['retracted'] === 'yes' && r['retractionReason'] !== '')).toBe(true);
      // Every cell that starts with a formula character is escaped.
      for (const r of rows) for (const v of Object.values(r)) expect(/^[=+@\t\r]/.test(v)).toBe(false);
    });

    it('imports points: new codes created, known ones updated, the same file again changes nothing', async () => {
      const csv = 'code,title,category,description\r\nx-1,Grain corridor,economy,Ships through the Black Sea\r\np01,Sovereignty of Ukraine (renamed),political,\r\n';
      const dry = await postCsv(t, `negotiation=${SLUG}&kind=points&dryRun=true`, csv);
      expect(dry.status).toBe(200);
      expect(dry.body.counts.points).toEqual({ created: 1, updated: 1, unchanged: 0 });
      expect((await t.get(`${base}/points`)).body.some((p: { code: string }) => p.code === 'x-1')).toBe(false);
      const res = await postCsv(t, `negotiation=${SLUG}&kind=points`, csv);
      expect(res.status).toBe(200);
      const points = (await t.get(`${base}/points`)).body as { code: string; title: string }[];
      expect(points.find((p) => p.code === 'x-1')?.title).toBe('Grain corridor');
      expect(points.find((p) => p.code === 'p01')?.title).toBe('Sovereignty of Ukraine (renamed)');
      const before = await fingerprint(t.db);
      const again = await postCsv(t, `negotiation=${SLUG}&kind=points`, csv);
      expect(again.body).toMatchObject({ unchanged: true, counts: { points: { created: 0, updated: 0, unchanged: 2 } } });
      expect(await fingerprint(t.db)).toEqual(before);
    });

    it('imports stance events in one transaction; one bad row in the middle imports nothing and names the row', async () => {
      const header = 'party,point,position,confidence,effectiveAt,conditions,conditionPoints,note,quote,actor,sourceUrl,sourceOutlet\r\n';
      const good = (i: number) => `EU,p0${(i % 9) + 1},conditional,official,2025-12-${String(10 + i).padStart(2, '0')},,,,"row ${i}",,https://example.org/${i},Reuters\r\n`;
      const rows = Array.from({ length: 9 }, (_, i) => good(i));
      // Rows named as a spreadsheet shows them: the header is row 1, a quote over two lines is one
      // row, an empty line is a row: the bad one is row 7 (on the file's line 8).
      const twoLines = rows[1].replace('"row 1"', '"row\r\none"');
      const bad = [rows[0], twoLines, rows[2], rows[3], '\r\n', 'EU,p02,perhaps,official,2025-12-40,,,,,,not a url,\r\n', ...rows.slice(4)];
      const before = await fingerprint(t.db);
      const refused = await postCsv(t, `negotiation=${SLUG}&kind=stances`, header + bad.join(''));
      expect(refused.status).toBe(400);
      const fields = refused.body.details.map((d: { field: string }) => d.field);
      expect(twoLines).not.toEqual(rows[1]);
      expect(fields).toEqual(expect.arrayContaining(['row 7: position', 'row 7: effectiveAt', 'row 7: sourceUrl']));
      expect(refused.body.details.every((d: { field: string }) => d.field.startsWith('row 7: '))).toBe(true);
      expect(await fingerprint(t.db)).toEqual(before);

      const dry = await postCsv(t, `negotiation=${SLUG}&kind=stances&dryRun=true`, header + rows.join(''));
      expect(dry.body).toMatchObject({ dryRun: true, errors: [], counts: { stanceEvents: { created: 9, updated: 0, unchanged: 0 } } });
      expect(await fingerprint(t.db)).toEqual(before);

      const seqBefore = (await t.get(base)).body.seq;
      const ok = await postCsv(t, `negotiation=${SLUG}&kind=stances`, header + rows.join(''));
      expect(ok.status).toBe(200);
      // Each row cites a URL not seen before: its source takes a number before its stance.
      expect((await t.get(base)).body.seq).toBe(seqBefore + 18);
      const again = await postCsv(t, `negotiation=${SLUG}&kind=stances`, header + rows.join(''));
      expect(again.body).toMatchObject({ unchanged: true, counts: { stanceEvents: { created: 0, unchanged: 9 } } });
      expect((await t.get(base)).body.seq).toBe(seqBefore + 18);
    });

    it('an exported change log imports into another negotiation with the same codes', async () => {
      const text = (await download(t, `${base}/export.csv?table=changes&parties=EU`)).bytes.toString('utf8');
      const dry = await postCsv(t, `negotiation=${SLUG}&kind=stances&dryRun=true`, text);
      expect(dry.status).toBe(200);
      expect(dry.body.errors).toEqual([]);
      // Everything in it is already here: nothing would be created.
      expect(dry.body.counts.stanceEvents.created).toBe(0);
    });

    it('cells with line breaks, quotes and separators are quoted: the same rows and cells, no cell or line starting a formula', async () => {
      const ua = matrix.parties.find((p) => p.code === 'UA')!;
      const title = 'Grain corridor\n=1+2'; // no comma or quote: only the line break can get it quoted
      const created = await t.post(`${base}/points`, { title, category: 'economy' });
      expect(created.status).toBe(201);
      const hostile = {
        note: "see source\n=cmd|' /C calc'!A0",
        quote: '@SUM(1+1)\r\n-2+3\r+cmd, "quoted"',
        conditions: 'first line; second, with comma\n\tindented =1',
      };
      const recorded = await t.post(`${base}/stances`, {
        partyId: ua.id,
        pointId: created.body.id,
        position: 'conditional',
        confidence: 'reported',
        effectiveAt: '2025-12-20',
        source: { outlet: 'Wire', title: '-1 day' },
        conditions: { text: hostile.conditions },
        note: hostile.note,
        quote: hostile.quote,
      });
      expect(recorded.status).toBe(201);

      const matrixText = (await download(t, `${base}/export.csv`)).bytes.toString('utf8');
      const changesText = (await download(t, `${base}/export.csv?table=changes`)).bytes.toString('utf8');
      for (const text of [matrixText, changesText]) {
        // Every line of the file, also a line inside a quoted cell, is safe to a line-by-line reader.
        for (const line of text.split(/\r\n|\r|\n/)) expect(line).not.toMatch(FORMULA_START);
      }

      const current = (await t.get(`${base}/matrix`)).body as MatrixView;
      const matrixRows = parse(matrixText, { columns: true }) as Record<string, string>[];
      expect(matrixRows.map((r) => r['code'])).toEqual(current.rows.map((r) => r.point.code));
      expect(matrixRows.find((r) => r['code'] === created.body.code)).toMatchObject({
        title: "Grain corridor\n'=1+2",
        UA: 'Conditional',
      });
      expectNoFormula(matrixRows);

      const changeRows = parse(changesText, { columns: true }) as Record<string, string>[];
      const events = JSON.parse((await download(t, `${base}/export.json`)).bytes.toString('utf8')).stanceEvents as { id: string }[];
      expect(changeRows.map((r) => r['eventId'])).toEqual(events.map((e) => e.id));
      expect(changeRows.at(-1)).toMatchObject({
        eventId: recorded.body.event.id,
        pointTitle: "Grain corridor\n'=1+2",
        note: "see source\n'=cmd|' /C calc'!A0",
        quote: `'@SUM(1+1)\r\n'-2+3\r'+cmd, "quoted"`,
        conditions: "first line; second, with comma\n'\tindented =1",
        sourceTitle: "'-1 day",
      });
      expectNoFormula(changeRows);
    });

    it('refuses unreadable or mislabelled files with a clear message', async () => {
      const unknownColumn = await postCsv(t, `negotiation=${SLUG}&kind=stances`, 'party,point,positon,effectiveAt\r\nUA,p01,accept,2025-12-01\r\n');
      expect(unknownColumn.status).toBe(400);
      expect(unknownColumn.body.message).toContain("unknown column 'positon'");
      const broken = await postCsv(t, `negotiation=${SLUG}&kind=points`, 'code,title,category\r\n"x,unterminated\r\n');
      expect(broken.status).toBe(400);
      const noKind = await postCsv(t, `negotiation=${SLUG}`, 'code,title,category\r\nq,Q,legal\r\n');
      expect(noKind.status).toBe(400);
      expect(noKind.body.details).toContainEqual({ field: 'query.kind', message: expect.any(String) });
      const xml = await t.request('POST', '/api/negotiations/import', '<dump/>', { 'content-type': 'application/xml' });
      expect(xml.status).toBe(415);
      const csvElsewhere = await t.request('POST', `${base}/points`, 'code,title\r\n', { 'content-type': 'text/csv' });
      expect(csvElsewhere.status).toBe(415);
    });
  });

  it('Markdown digest: headline figures, blocked points with who blocks, a link to the dashboard', async () => {
    const res = await download(t, `${base}/export.md?asOf=2025-12-01&since=2025-11-25`);
    const text = res.bytes.toString('utf8');
    expect(text).toContain(`# ${UKRAINE_2025.negotiation.title}`);
    expect(text).toContain('as of 2025-12-01');
    expect(text).toMatch(/\*\*\d+ points · \d+ agreed · \d+ blocked\*\*/);
    expect(text).toContain('## Changes effective between 2025-11-25 and 2025-12-01');
    expect(text).toContain(`/?n=${SLUG}&asOf=2025-12-01`);
  });

  it('PDF briefing: a real PDF whose text has the date, every party, every point title and a known change', async () => {
    const res = await download(t, `${base}/export.pdf?asOf=2025-12-29&since=2025-11-20`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const pdf = await readPdf(res.bytes);
    const text = pdf.all.replace(/\s+/g, ' ');
    expect(text).toContain('Positions as of 29 Dec 2025');
    for (const party of matrix.parties) expect(text).toContain(party.code);
    // Every title exactly, typographic dashes and quotes too; long titles wrap, so compare without whitespace.
    const solid = (s: string) => s.replace(/\s+/g, '');
    // The plan as of that day: earlier tests renamed p01 and added points today, which the briefing as of 29 Dec does not show.
    const then = (await t.get(`${base}/matrix?asOf=2025-12-29`)).body as MatrixView;
    for (const row of then.rows) expect(solid(text)).toContain(solid(row.point.title));
    expect(then.rows.map((r) => r.point.title)).not.toContain('Grain corridor');
    expect(solid(text)).not.toContain(solid('Sovereignty of Ukraine (renamed)'));
    expect(text).toContain('Changes effective between 20 Nov 2025 and 29 Dec 2025');
    // A known change: Russia moved from accepting the territorial terms to a red line on 27 Nov (in
    // reading order: the wrapped title comes whole before the position; pdftotext -layout in
    // test-interop/ shows the rows).
    expect(text).toMatch(/27 Nov 2025 p21 Territorial arrangements and the line of contact Accept -> Red line/);
    const pages = pdf.pages.length;
    expect(pages).toBeGreaterThan(2);
    expect(text).toContain(`Page ${pages} of ${pages}`);
  });

  it('XLSX: the Matrix sheet equals the API matrix; Changes holds every event', async () => {
    const res = await download(t, `${base}/export.xlsx`);
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.bytes as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(['Matrix', 'Changes', 'Points', 'Parties', 'Documents', 'Sources']));
    const sheet = book.getWorksheet('Matrix')!;
    const header = Array.from(sheet.getRow(1).values as unknown[], (v) => String(v ?? ''));
    const current = (await t.get(`${base}/matrix`)).body as MatrixView;
    for (const party of current.parties) {
      const col = header.findIndex((h) => h === party.code || h.startsWith(`${party.code} `) || h.startsWith(`${party.code}\n`));
      expect(col).toBeGreaterThan(0);
      for (const [i, row] of current.rows.entries()) {
        const stance = row.cells[party.id]?.stance;
        const cell = String(sheet.getRow(i + 2).getCell(col).value ?? '');
        if (stance) expect(cell).toContain(POSITION_LABEL[stance.position as Position]);
        else expect(cell).toBe('');
      }
    }
    const events = JSON.parse((await download(t, `${base}/export.json`)).bytes.toString('utf8')).stanceEvents.length;
    expect(book.getWorksheet('Changes')!.actualRowCount).toBe(events + 1);
  });

  it('refuses bad export parameters with a 400 that names them', async () => {
    const unknownParty = await t.get(`${base}/export.csv?parties=UA,XX`);
    expect(unknownParty.status).toBe(400);
    expect(unknownParty.body.message).toContain("'XX'");
    const badDate = await t.get(`${base}/export.pdf?asOf=yesterday`);
    expect(badDate.status).toBe(400);
    expect(badDate.body.details[0].field).toBe('query.asOf');
    expect((await t.get(`${base}/export.csv?table=everything`)).status).toBe(400);
    expect((await t.get('/api/negotiations/nope/export.json')).status).toBe(404);
  });

  it('answers an unknown export format with a 400 that lists the formats', async () => {
    for (const format of ['docx', 'PDF', '']) {
      const res = await t.get(`${base}/export.${format}?asOf=2025-12-01`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.message).toBe(`Unknown export format '${format}': the formats are pdf, xlsx, csv, json, md (export.pdf, export.xlsx…)`);
      expect(res.body.details).toEqual([{ field: 'format', message: 'must be one of pdf, xlsx, csv, json, md' }]);
    }
    expect((await t.request('POST', `${base}/export.docx`, {})).status).toBe(404); // no export is a POST
  });
});

describe('import limits', () => {
  it('a body over IMPORT_LIMIT_BYTES is refused with 413 and nothing is written', async () => {
    const t = await startApp({ IMPORT_LIMIT_BYTES: '2048' });
    try {
      const before = await fingerprint(t.db);
      const res = await t.request('POST', '/api/negotiations/import?negotiation=x&kind=points', `code,title,category\r\n${'a,b,legal\r\n'.repeat(400)}`, {
        'content-type': 'text/csv',
      });
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(res.body.message).toContain('limit of 2048 bytes');
      expect(await fingerprint(t.db)).toEqual(before);
    } finally {
      await t.close();
    }
  });
});
