import { POSITIONS } from '@parley/contracts';
import { renderPdf } from './pdf-report';
import type { ReportData } from './report-data';

import { readPdf, type PdfText } from '../testing/pdf-text';
import { buildReport, renderToBuffer, SMALL_CELLS, type CellSpec } from '../testing/report-fixture';

// The text is read back in JavaScript (pdf.js); test-interop/ reads the same PDF with poppler's pdftotext.
const render = async (report: ReportData): Promise<PdfText> => readPdf(await renderToBuffer((out) => renderPdf(report, out)));

// ---------- tests ----------

describe('renderPdf', () => {
  const small = buildReport({ parties: 4, points: 6, cells: SMALL_CELLS });

  it('writes a PDF with the as-of date, every party, every point and the page numbers', async () => {
    const pdf = await renderToBuffer((out) => renderPdf(small, out));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const doc = await readPdf(pdf);
    const all = doc.all;
    expect(all).toContain('Positions as of 30 Nov 2025');
    expect(all).toContain('Positions as of 30 Nov 2025, as known at 1 Dec 2025, 08:00 UTC');
    expect(all).toMatch(/Generated\s+1 Dec 2025, 09:30 UTC/);
    for (const p of small.parties) expect(all).toContain(p.code);
    for (const r of small.rows) expect(all).toContain(r.point.title);
    const pages = doc.pages.length;
    expect(pages).toBeGreaterThan(1);
    doc.pages.forEach((page, i) => expect(page).toContain(`Page ${i + 1} of ${pages}`));
    expect(doc.title).toBe('US peace plan for Ukraine (2025)');
    expect(doc.author).toBe('Parley');
  });

  it('shows cells as colour and a text label, conditions marked, with a row summary and a legend', async () => {
    const matrix = (await render(small)).pages[1];
    expect(matrix).toContain('Position matrix');
    // Size of armed forces: US accept, UA conditional with conditions, RU accept, EU silent.
    expect(matrix).toMatch(/Size of Ukraine’s armed forces\s+Military\s+Acc\s+Cond\*\s+Acc\s+-\s+Agreed/);
    expect(matrix).toMatch(/Security guarantees modelled on Article 5\s+Security guarantees\s+-\s+Cond\*\s+RED\s+-\s+Blocked/);
    expect(matrix).toMatch(/Amnesty for all parties\s+Legal\s+Acc\s+Cond\*\s+-\s+-\s+Agreed/);
    expect(matrix).toContain('No stated position');
    expect(matrix).toContain('with conditions');
  });

  it('lists the changes effective between since and asOf by party, with from -> to where the list shows both', async () => {
    const { all } = await render(small);
    const section = all.slice(all.lastIndexOf('Changes effective between 20 Nov 2025 and 30 Nov 2025'));
    expect(section).toContain('Ukraine (UA)');
    expect(section).toContain('Reject -> Amend');
    expect(section).toContain('Kyiv Independent');
    expect(section).toContain('Volodymyr Zelensky');
    expect(section.indexOf('United States (US)')).toBeLessThan(section.indexOf('Ukraine (UA)'));
    expect(all).not.toContain('more; see the spreadsheet');

    const truncated = { ...small, changes: small.changes.slice(0, 2), changesTotal: small.changes.length };
    expect((await render(truncated)).all).toContain(`and ${small.changes.length - 2} more; see the spreadsheet`);
  });

  it('omits the changes section when no since date is given', async () => {
    const report = buildReport({ parties: 4, points: 6, cells: SMALL_CELLS, since: null });
    const { all } = await render(report);
    expect(all).not.toContain('Changes effective');
  });

  it('prints per-point notes with conditions, quotes with their language and translation, sources and actors, in their own script and punctuation', async () => {
    const { all } = await render(small);
    const notes = all.slice(all.lastIndexOf('Notes by point'));
    expect(notes).toContain('Conditions: Cap of 800,000 \u2212 not 600,000');
    expect(notes).toContain('"We will not accept a \u201Ccap\u201D on our army \u2014 never\u2026"');
    expect(notes).toContain('"Ми не віддамо Донбас" (uk)');
    expect(notes).toContain('Translation (en): "We will not give up Donbas"');
    expect(notes).toContain('Source: Kyiv Independent, Report 10, https://news.example.org/10, published 25 Nov 2025');
    expect(notes).toContain('Actor: Андрій Єрмак');
    // "Use of frozen Russian assets" has one stance (EU, unclear); a point without stances is skipped.
    const empty = buildReport({ parties: 2, points: 2, cells: [{ party: 0, point: 0, position: 'accept', day: '2025-11-21' }] });
    const allEmpty = (await render(empty)).all;
    const emptyNotes = allEmpty.slice(allEmpty.lastIndexOf('Notes by point'));
    expect(emptyNotes).toContain('1. Size of Ukraine\u2019s armed forces');
    expect(emptyNotes).not.toContain('2. Security guarantees');
  });

  it('draws the convergence chart with axis dates and milestone list', async () => {
    const { all } = await render(small);
    const chart = all.slice(all.lastIndexOf('Convergence over time'));
    expect(chart).toContain('15 Nov 2025');
    expect(chart).toContain('Geneva talks (meeting)');
    expect(chart).toContain('Leak of the 28-point plan (meeting)');
    expect(chart).toContain('Latest (30 Nov 2025)');
  });

  it('ends the chart a few days after the last change, as the dashboard does, not at the end of a flat tail', async () => {
    // A series up to "now", a year after the talks went quiet.
    const last = small.series[small.series.length - 1];
    const tail = Array.from({ length: 53 }, (_, w) => ({ ...last, date: new Date(Date.parse('2025-12-07T23:59:59.999Z') + w * 7 * 86_400_000).toISOString() }));
    const report: ReportData = { ...small, asOf: null, series: [...small.series, ...tail] };
    const { all } = await render(report);
    const chart = all.slice(all.lastIndexOf('Convergence over time'), all.indexOf('Milestones', all.lastIndexOf('Convergence over time')));
    expect(chart).toContain(`Latest (${new Date(Date.parse(tail[tail.length - 1].date)).getUTCDate()} Dec 2026)`);
    // The axis stops early in December 2025: no tick of 2026.
    expect(chart.replace(/Latest \([^)]*\)/, '')).not.toContain('2026');
    expect(chart).toMatch(/29 Nov|1 Dec|3 Dec/);
  });

  it('renders an empty negotiation (no parties, points, series) with "as of now"', async () => {
    const empty: ReportData = {
      ...buildReport({ parties: 0, points: 0, cells: [], since: null }),
      asOf: null,
      knownAt: null,
      document: null,
      series: [],
      milestones: [],
      documents: [],
    };
    const { all } = await render(empty);
    expect(all).toContain('Positions as of now');
    expect(all).toContain('No points match the filters.');
    expect(all).toContain('No stances recorded yet');
    expect(all).not.toContain('Notes by point');
  });

  it('renders the same data to the same bytes', async () => {
    const a = await renderToBuffer((out) => renderPdf(small, out));
    const b = await renderToBuffer((out) => renderPdf(small, out));
    expect(a.equals(b)).toBe(true);
  });

  it('splits a 200 x 50 matrix over more pages, repeating the header rows and the point column', async () => {
    const cells: CellSpec[] = [];
    for (let point = 0; point < 200; point++) {
      for (let party = 0; party < 50; party++) {
        if ((point * 50 + party) % 23 === 0) cells.push({ party, point, position: POSITIONS[(point + party) % 6], day: '2025-11-21' });
      }
    }
    const big = buildReport({ parties: 50, points: 200, cells });
    const smallDoc = await render(small);
    const bigDoc = await render(big);
    const smallPages = smallDoc.pages.length;
    const bigPages = bigDoc.pages.length;
    expect(bigPages).toBeGreaterThan(smallPages + 10);

    // The matrix starts on page 2; page 3 continues it with the same header and the first column group.
    const [, p2, p3] = bigDoc.pages;
    for (const page of [p2, p3]) {
      expect(page).toMatch(/No\.\s+Point \(no\. in US-28\)\s+Category\s+US\s+UA\s+RU\s+EU\s+P5/);
      expect(page).toContain('Summary');
    }
    expect(p3).toContain('(continued)');
    // Column groups: the last party appears on a later page, with the point titles repeated.
    const all = bigDoc.all;
    expect(all).toMatch(/Parties \d+-50 of 50/);
    const groupPage = all.split('\f').find((page) => /Parties \d+-50 of 50/.test(page)) ?? '';
    expect(groupPage).toContain('P50');
    expect(groupPage).toContain('Point title number 7');
    expect(groupPage).not.toMatch(/\bUS\s+UA\b/);
  });
});
