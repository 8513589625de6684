import ExcelJS from 'exceljs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChangesPage, MatrixView, MetricsView, RecordStanceResult } from '@parley/contracts';
import { runCli } from '../src/cli/commands';
import { DemoLoader } from '../src/demo/demo-loader.service';
import { UKRAINE_2025 } from '../src/demo/ukraine-2025';
import { ExportsService } from '../src/exports/exports.service';
import { seed, stance, startApp, type Seeded, type TestApp } from './harness';

/*
 * Time means what the page says (issue 14, item 6): a briefing's changes are those effective in its
 * window, /changes filters by effective date too, a default series fits any history.
 */

const SLUG = UKRAINE_2025.negotiation.slug;
const demo = `/api/negotiations/${SLUG}`;

async function download(t: TestApp, p: string): Promise<{ status: number; bytes: Buffer }> {
  const res = await fetch(t.url + p, { headers: { authorization: `Bearer ${t.adminToken}` } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Every stance event effective in [from, to] (days, both included), as /changes lists them. */
async function effectiveIn(t: TestApp, from: string, to: string): Promise<{ id: string; effectiveAt: string }[]> {
  const res = await t.get<ChangesPage>(`${demo}/changes?effectiveFrom=${from}&effectiveTo=${to}&limit=1000`);
  expect(res.status).toBe(200);
  const events = new Map<string, { id: string; effectiveAt: string }>();
  for (const item of res.body.items) events.set(item.event.id, item.event);
  return [...events.values()];
}

describe('time means what the page says', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
    await t.app.get(DemoLoader).load(UKRAINE_2025);
  });
  afterAll(() => t.close());

  describe('GET …/changes by effective date', () => {
    it('lists only events effective in the window, whenever they were recorded', async () => {
      const listed = await effectiveIn(t, '2025-11-26', '2025-12-03');
      expect(listed.length).toBeGreaterThan(0);
      for (const e of listed) {
        expect(e.effectiveAt >= '2025-11-26T00:00:00.000Z').toBe(true);
        expect(e.effectiveAt <= '2025-12-03T23:59:59.999Z').toBe(true);
      }
      const all = (await t.get<ChangesPage>(`${demo}/changes?limit=1000`)).body.items;
      const expected = new Set(all.filter((c) => c.event.effectiveAt >= '2025-11-26' && c.event.effectiveAt < '2025-12-04').map((c) => c.event.id));
      expect(new Set(listed.map((e) => e.id))).toEqual(expected);
    });

    it('refuses a bad date and a window whose start is after its end', async () => {
      const bad = await t.get(`${demo}/changes?effectiveFrom=2025-13-01`);
      expect(bad.status).toBe(400);
      expect(bad.body.details).toEqual([expect.objectContaining({ field: 'query.effectiveFrom' })]);
      const reversed = await t.get(`${demo}/changes?effectiveFrom=2025-12-03&effectiveTo=2025-11-26`);
      expect(reversed.status).toBe(400);
      expect(reversed.body.details).toEqual([{ field: 'query.effectiveFrom', message: 'must not be after effectiveTo (2025-11-26)' }]);
    });
  });

  describe("a briefing's changes", () => {
    it('Markdown: lists the changes effective between since and asOf, and says so', async () => {
      const res = await download(t, `${demo}/export.md?asOf=2025-12-03&since=2025-11-26`);
      expect(res.status).toBe(200);
      const text = res.bytes.toString('utf8');
      const section = text.slice(text.indexOf('## Changes'));
      expect(section.startsWith('## Changes effective between 2025-11-26 and 2025-12-03\n')).toBe(true);
      const dates = [...section.matchAll(/^- (\d{4}-\d{2}-\d{2}) \*\*/gm)].map((m) => m[1]);
      expect(dates.length).toBeGreaterThan(0);
      for (const d of dates) expect(d >= '2025-11-26' && d <= '2025-12-03').toBe(true);
      const expected = await effectiveIn(t, '2025-11-26', '2025-12-03');
      const more = /- … and (\d+) more/.exec(section);
      expect(dates.length + (more ? Number(more[1]) : 0)).toBe(expected.length);
    });

    it('Markdown: a recorded-time window keeps its own name', async () => {
      const res = await download(t, `${demo}/export.md?recordedSince=2025-11-26`);
      expect(res.status).toBe(200);
      expect(res.bytes.toString('utf8')).toContain('## Changes recorded since 2025-11-26\n');
    });

    it('PDF: the report lists the same window, oldest effective date first, under words that say so', async () => {
      const data = await t.app.get(ExportsService).report(SLUG, { asOf: '2025-12-03', since: '2025-11-26' });
      const expected = await effectiveIn(t, '2025-11-26', '2025-12-03');
      expect(data.changesTotal).toBe(expected.length);
      expect(data.changes.map((e) => e.effectiveAt)).toEqual([...data.changes.map((e) => e.effectiveAt)].sort());
      expect(data.changesWindow).toEqual({ effectiveFrom: '2025-11-26T00:00:00.000Z', effectiveTo: '2025-12-03T23:59:59.999Z', recordedSince: null });
      const { changesHeading } = await import('../src/exports/report-format');
      expect(changesHeading(data.changesWindow!)).toBe('Changes effective between 26 Nov 2025 and 3 Dec 2025');
      const pdf = await download(t, `${demo}/export.pdf?asOf=2025-12-03&since=2025-11-26`);
      expect(pdf.status).toBe(200);
    });

    it('XLSX: the About sheet names the window and the Changes sheet holds the events in it', async () => {
      const res = await download(t, `${demo}/export.xlsx?asOf=2025-12-03&since=2025-11-26`);
      expect(res.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.bytes as unknown as ArrayBuffer);
      const about = book.getWorksheet('About')!;
      const rows = new Map<string, string>();
      about.eachRow((row) => rows.set(String(row.getCell(1).value), String(row.getCell(2).value)));
      expect(rows.get('Changes')).toBe('effective between 26 Nov 2025 and 3 Dec 2025');
      const sheet = book.getWorksheet('Changes')!;
      const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
      const col = header.indexOf('Effective at (UTC)');
      const ids = header.indexOf('Event id');
      const listed: string[] = [];
      sheet.eachRow((row, n) => {
        if (n === 1) return;
        const at = row.getCell(col).value as Date;
        expect(at.toISOString() >= '2025-11-26' && at.toISOString() <= '2025-12-03T23:59:59.999Z').toBe(true);
        listed.push(String(row.getCell(ids).value));
      });
      expect(new Set(listed)).toEqual(new Set((await effectiveIn(t, '2025-11-26', '2025-12-03')).map((e) => e.id)));
    });

    it('command line: --since is the effective window, --recorded-since the recorded one', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-cli-'));
      try {
        const out: string[] = [];
        const file = path.join(dir, 'digest.md');
        const md = (extra: string[]) => runCli(['export', SLUG, '--format', 'md', '--out', file, '--as-of', '2025-12-03', ...extra], t.config, (line) => out.push(line));
        expect(await md(['--since', '2025-11-26'])).toBe(0);
        expect(fs.readFileSync(file, 'utf8')).toContain('## Changes effective between 2025-11-26 and 2025-12-03\n');
        expect(await md(['--recorded-since', '2025-11-26'])).toBe(0);
        expect(fs.readFileSync(file, 'utf8')).toContain('## Changes recorded since 2025-11-26\n');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('since after asOf is a 400 that says so, in every report format', async () => {
      for (const format of ['pdf', 'md', 'xlsx', 'csv']) {
        const res = await t.get(`${demo}/export.${format}?asOf=2025-11-26&since=2025-12-03`);
        expect(res.status).toBe(400);
        expect(res.body.details).toEqual([{ field: 'query.since', message: expect.stringContaining('must not be after asOf (2025-11-26)') }]);
      }
    });
  });

  describe('an effectiveAt far ahead is a typo unless the write says it is scheduled', () => {
    let s: Seeded;
    let base: string;
    const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    const changeCount = async () => (await t.get<ChangesPage>(`${base}/changes?limit=1000`)).body.items.length;
    beforeAll(async () => {
      s = await seed(t, 'Scheduled positions');
      base = `/api/negotiations/${s.slug}`;
      expect((await t.post(`${base}/stances`, stance(s.parties[2].id, s.points[0].id, { effectiveAt: '2025-11-21' }))).status).toBe(201);
    });

    it('refuses a date more than a day ahead with a 400 that says how to schedule it, and writes nothing', async () => {
      const before = await changeCount();
      const res = await t.post(`${base}/stances`, stance(s.parties[2].id, s.points[0].id, { position: 'reject', effectiveAt: '2031-11-21' }));
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'effectiveAt', message: expect.stringMatching(/^is more than a day after now \(.+\): a typo\? To record a position that takes effect later, send "scheduled": true$/) }]);
      const batch = await t.post(`${base}/stances/batch`, { events: [stance(s.parties[0].id, s.points[1].id), stance(s.parties[1].id, s.points[1].id, { effectiveAt: inDays(3) })] });
      expect(batch.status).toBe(400);
      expect(batch.body.details).toEqual([{ field: 'events.1.effectiveAt', message: expect.stringContaining('"scheduled": true') }]);
      expect(await changeCount()).toBe(before);
    });

    it('accepts tomorrow (time zones), and refuses a day before 1900 and a scheduled date not in the future', async () => {
      expect((await t.post(`${base}/stances`, stance(s.parties[0].id, s.points[2].id, { effectiveAt: inDays(1) }))).status).toBe(201);
      const old = await t.post(`${base}/stances`, stance(s.parties[0].id, s.points[2].id, { effectiveAt: '1899-12-31' }));
      expect(old.status).toBe(400);
      expect(old.body.details).toEqual([{ field: 'effectiveAt', message: 'must not be before 1900-01-01' }]);
      const past = await t.post(`${base}/stances`, stance(s.parties[0].id, s.points[2].id, { effectiveAt: '2025-11-21', scheduled: true }));
      expect(past.status).toBe(400);
      expect(past.body.details).toEqual([{ field: 'scheduled', message: expect.stringContaining('is for a position that takes effect in the future; effectiveAt 2025-11-21 is not after now') }]);
      const word = await t.post(`${base}/stances`, stance(s.parties[0].id, s.points[2].id, { effectiveAt: inDays(9), scheduled: 'yes' }));
      expect(word.status).toBe(400);
      expect(word.body.details).toEqual([{ field: 'scheduled', message: 'must be true or false' }]);
    });

    it('records a scheduled position; the current matrix shows it as scheduled, a matrix as of today the stance in force', async () => {
      const day = inDays(40);
      const res = await t.post<RecordStanceResult>(`${base}/stances`, stance(s.parties[2].id, s.points[0].id, { position: 'reject', effectiveAt: day, scheduled: true }));
      expect(res.status).toBe(201);
      expect(res.body.event.scheduled).toBe(true);
      const now = (await t.get<MatrixView>(`${base}/matrix`)).body;
      const cell = now.rows.find((r) => r.point.id === s.points[0].id)!.cells[s.parties[2].id];
      expect(cell.stance).toMatchObject({ position: 'reject', scheduled: true, effectiveAt: `${day}T00:00:00.000Z` });
      const today = (await t.get<MatrixView>(`${base}/matrix?asOf=${inDays(0)}`)).body;
      expect(today.rows.find((r) => r.point.id === s.points[0].id)!.cells[s.parties[2].id].stance).toMatchObject({ position: 'accept', scheduled: false });
    });

    it('a dump carries a scheduled position (and its retraction) to another installation, byte for byte', async () => {
      const ahead = await t.post<RecordStanceResult>(`${base}/stances`, stance(s.parties[1].id, s.points[1].id, { effectiveAt: inDays(60), scheduled: true }));
      expect(ahead.status).toBe(201);
      expect((await t.post(`/api/stance-events/${ahead.body.event.id}/retract`, { reason: 'announced too early' })).status).toBe(201);
      const dump = (await download(t, `${base}/export.json`)).bytes.toString('utf8');
      const other = await startApp();
      try {
        const imported = await other.post('/api/negotiations/import', dump);
        expect(imported.status).toBe(200);
        expect((await download(other, `${base}/export.json`)).bytes.toString('utf8')).toBe(dump);
        const cells = (await other.get<MatrixView>(`${base}/matrix`)).body.rows.find((r) => r.point.id === s.points[0].id)!.cells;
        expect(cells[s.parties[2].id].stance).toMatchObject({ position: 'reject', scheduled: true });
      } finally {
        await other.close();
      }
    });

    it('CSV import: a future row needs scheduled=yes; historical rows import as before', async () => {
      const csv = (extra: string) => `party,point,position,effectiveAt,sourceOutlet${extra ? ',scheduled' : ''}\r\nBB,${s.points[3].code},accept,${inDays(30)},Reuters${extra}\r\nBB,${s.points[2].code},accept,2014-03-02,Reuters${extra ? ',' : ''}\r\n`;
      const refused = await t.request('POST', `/api/negotiations/import?negotiation=${s.slug}&kind=stances`, csv(''), { 'content-type': 'text/csv' });
      expect(refused.status).toBe(400);
      expect(refused.body.details).toEqual([expect.objectContaining({ field: 'row 2: effectiveAt', message: expect.stringContaining('"scheduled": true') })]);
      const bad = await t.request('POST', `/api/negotiations/import?negotiation=${s.slug}&kind=stances&dryRun=true`, csv(',maybe'), { 'content-type': 'text/csv' });
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'row 2: scheduled' })]);
      const ok = await t.request('POST', `/api/negotiations/import?negotiation=${s.slug}&kind=stances`, csv(',yes'), { 'content-type': 'text/csv' });
      expect(ok.status).toBe(200);
      const changes = (await t.get<ChangesPage>(`${base}/changes?limit=1000`)).body.items.slice(-2).map((c) => [c.event.effectiveAt.slice(0, 10), c.event.scheduled]);
      expect(changes).toEqual([[inDays(30), true], ['2014-03-02', false]]);
    });
  });

  describe('a history that starts in 2014', () => {
    let base: string;
    beforeAll(async () => {
      const s = await seed(t, 'Long history');
      base = `/api/negotiations/${s.slug}`;
      const old = await t.post(`${base}/stances`, stance(s.parties[0].id, s.points[0].id, { effectiveAt: '2014-03-02' }));
      expect(old.status).toBe(201);
      const recent = await t.post(`${base}/stances`, stance(s.parties[1].id, s.points[0].id, { effectiveAt: '2025-11-21' }));
      expect(recent.status).toBe(201);
    });

    it('metrics by default pick a step that fits (weeks) and the series ends today', async () => {
      const res = await t.get<MetricsView>(`${base}/metrics`);
      expect(res.status).toBe(200);
      expect(res.body.step).toBe('week');
      expect(res.body.series[0].date.slice(0, 10)).toBe('2014-03-02');
      expect(res.body.series.at(-1)!.date.slice(0, 10)).toBe(new Date().toISOString().slice(0, 10));
    });

    it("the Trends page's request (to = today, no step) answers too", async () => {
      const today = new Date().toISOString().slice(0, 10);
      const res = await t.get<MetricsView>(`${base}/metrics?to=${today}`);
      expect(res.status).toBe(200);
      expect(res.body.step).toBe('week');
    });

    it('an explicit step over the limit stays a 400 that names the step that would fit', async () => {
      const res = await t.get(`${base}/metrics?step=day&from=2014-03-02&to=2025-12-01`);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'query.step', message: 'dateRange would produce 4293 points at step=day (at most 3660); step=week fits' }]);
    });

    it('the PDF briefing answers', async () => {
      const res = await download(t, `${base}/export.pdf`);
      expect(res.status).toBe(200);
      expect(res.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    });
  });
});
