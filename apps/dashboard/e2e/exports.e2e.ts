import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import type { MatrixView } from '@parley/contracts';
import { ADMIN, ApiProcess, freePort, launchChromium, signIn } from './server';

const SHOTS = resolve(__dirname, '../../../test-output/screenshots');
/** The README's page of the briefing: refreshed only with UPDATE_README_SHOTS=1, so test runs leave the tree clean. */
const README_SHOTS = process.env['UPDATE_README_SHOTS'] === '1' ? resolve(__dirname, '../../../docs/images') : SHOTS;

let api: ApiProcess;
let browser: Browser;
let page: Page;
let slug: string;
let dir: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'parley-downloads-'));
  api = new ApiProcess(await freePort());
  await api.start();
  const list = await api.json<{ slug: string }[]>('GET', '/negotiations');
  slug = list.body[0]?.slug ?? '';
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  page = await context.newPage();
  // A filtered view as of a date: the exports must carry both over.
  await page.goto(`${api.url}/?n=${slug}&asOf=2025-12-10&parties=RU,UA,US`);
  await page.getByRole('table').waitFor({ timeout: 15_000 });
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  api?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** Clicks an entry of the export menu and saves what the browser downloads. */
async function exportFile(label: string): Promise<{ file: string; name: string }> {
  const menu = page.locator('details.export-menu');
  if (!(await menu.evaluate((d) => (d as HTMLDetailsElement).open))) await menu.locator('summary').click();
  const [download] = await Promise.all([page.waitForEvent('download'), menu.getByRole('button', { name: label, exact: true }).click()]);
  const name = download.suggestedFilename();
  const file = join(dir, name);
  await download.saveAs(file);
  await menu.getByText(`Downloaded ${name}`).waitFor();
  return { file, name };
}

describe('exports from the dashboard', () => {
  it('downloads the PDF briefing of the view, which poppler reads and renders', async () => {
    const menu = page.locator('details.export-menu');
    await menu.locator('summary').click();
    await page.screenshot({ path: join(SHOTS, 'export-menu.png') });
    const { file, name } = await exportFile('PDF briefing');
    expect(name).toBe(`${slug}-2025-12-10.pdf`);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Positions as of 10 Dec 2025');
    expect(text).toContain('parties: RU, UA, US');
    // The menu's window (a week before the view's date, to it) in words, by effective date.
    expect(text).toContain('Changes effective between 3 Dec 2025 and 10 Dec 2025');
    // The matrix page, as the README shows it.
    execFileSync('pdftoppm', ['-png', '-r', '90', '-f', '2', '-l', '2', '-singlefile', file, join(README_SHOTS, 'briefing')]);
  });

  it('downloads the spreadsheet, which LibreOffice opens', async () => {
    const { file } = await exportFile('Spreadsheet (XLSX)');
    const home = mkdtempSync(join(tmpdir(), 'parley-soffice-'));
    execFileSync('soffice', ['--headless', '--convert-to', 'csv', '--outdir', dir, file], { env: { ...process.env, HOME: home }, timeout: 90_000 });
    const csv = readFileSync(file.replace(/\.xlsx$/, '.csv'), 'utf8');
    // The header row (party cells are "code\nname"): the view's three parties, not the hidden ones.
    const header = csv.slice(0, csv.indexOf('Summary'));
    expect(header).toMatch(/RU\s+Russia.*UA\s+Ukraine.*US\s+United States/s);
    expect(header).not.toContain('NATO');
    // As of 10 Dec: Russia's red line (Ushakov, 2 Dec), Ukraine's and the US's open answers (21 and 24 Nov).
    expect(csv).toMatch(/p21,Territorial arrangements and the line of contact,.*Red line,Unclear,Unclear/);
    rmSync(home, { recursive: true, force: true });
  });

  it('downloads both CSVs, the Markdown digest and the JSON dump', async () => {
    const matrix = await exportFile('CSV: matrix');
    expect(readFileSync(matrix.file, 'utf8').split('\r\n')[0]).toBe('number,code,title,category,status,spread,RU,UA,US,corroborated');
    const changes = await exportFile('CSV: change log');
    expect(readFileSync(changes.file, 'utf8').split('\r\n')[0]).toMatch(/^seq,recordedAt,recordedBy,party,/);
    const md = await exportFile('Markdown digest');
    expect(readFileSync(md.file, 'utf8')).toContain('positions as of 2025-12-10');
    expect(readFileSync(md.file, 'utf8')).toContain('## Changes effective between 2025-12-03 and 2025-12-10');
    const dump = await exportFile('JSON dump');
    expect(JSON.parse(readFileSync(dump.file, 'utf8'))).toMatchObject({ format: 'parley.negotiation-dump', negotiation: { slug } });
  });

  it('imports a CSV of stance events from the dashboard: checked first, then recorded, and the cell changes', async () => {
    const matrix = (await api.json<MatrixView>('GET', `/negotiations/${slug}/matrix`)).body;
    const point = matrix.rows.find((r) => r.point.code === 'p15');
    const us = matrix.parties.find((p) => p.code === 'US');
    if (!point || !us) throw new Error('demo without p15 or US');
    const cell = page.locator(`td[data-point="${point.point.id}"][data-party="${us.id}"]`);
    expect(await cell.innerText()).not.toContain('Conditional');

    await signIn(page, ADMIN);

    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import' });
    await dialog.getByLabel('File').setInputFiles({
      name: 'rows.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('party,point,position,confidence,effectiveAt,note,sourceOutlet\r\nUS,p15,conditional,official,2025-12-05,Imported in the browser test,Reuters\r\n'),
    });
    await dialog.getByRole('radio', { name: 'stance events' }).waitFor();
    await dialog.getByRole('button', { name: 'Check file' }).click();
    await dialog.getByText(/Check passed/).waitFor();
    await page.screenshot({ path: join(SHOTS, 'import-check.png') });
    await dialog.getByRole('button', { name: 'Import' }).click();
    await dialog.getByText(`Imported into`).waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await cell.getByText('Conditional').waitFor({ timeout: 5_000 });
  });
});
