import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { ApiProcess, freePort, launchChromium } from './server';

/** The four-column view and a milestone's page, in real Chromium on the demo data. */
const SHOTS = resolve(__dirname, '../../../test-output/screenshots');

let api: ApiProcess;
let browser: Browser;
let slug: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  api = new ApiProcess(await freePort());
  await api.start();
  const list = await api.json<{ slug: string }[]>('GET', '/negotiations');
  const first = list.body[0];
  if (!first) throw new Error('no demo negotiation');
  slug = first.slug;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  api?.cleanup();
});

async function open(search: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.goto(`${api.url}/?n=${slug}${search}`);
  return page;
}

const rowOf = (page: Page, code: string) => page.locator(`.four-col__table tbody tr`, { has: page.locator('th', { hasText: new RegExp(`^${code} `) }) });

describe('the four-column view', () => {
  it('shows the demo’s four texts with word diffs and lineage, moves with the keyboard and opens a point', async () => {
    const page = await open('');
    await page.getByRole('link', { name: 'Four columns' }).click();
    const table = page.getByRole('table', { name: /^Four-column view:/ });
    await table.waitFor();
    expect(new URL(page.url()).searchParams.get('view')).toBe('columns');
    expect(await table.getByRole('columnheader').allInnerTexts()).toEqual([
      'Point',
      'US 28-point draft\n2025-11-20',
      'E3 counter-proposal\n2025-11-23',
      'Geneva framework\n2025-11-24',
      '20-point framework\n2025-12-24',
    ]);
    // The army cap: 600,000 in the US draft, 800,000 in the E3 text, marked word by word.
    const army = rowOf(page, 'p06').locator('td');
    await army.nth(1).locator('ins').first().waitFor();
    expect(await army.nth(1).locator('del').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('600,000')]));
    expect(await army.nth(1).locator('ins').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('800,000')]));
    // p29 is new in the 20 points, split from p05 and p10; p05 is dropped there, split into p29.
    const p29 = rowOf(page, 'p29').locator('td').nth(3);
    await p29.getByText('split from p05, p10').waitFor();
    expect(await p29.getAttribute('data-status')).toBe('new');
    expect(await p29.innerText()).toContain('5/10');
    const p05 = rowOf(page, 'p05').locator('td').nth(3);
    expect(await p05.getAttribute('data-status')).toBe('dropped');
    expect(await p05.innerText()).toContain('split into p29');
    await page.screenshot({ path: join(SHOTS, 'four-column.png') });

    // Keyboard: into the grid, down a row with j, across with l and the arrow, Enter opens the drawer.
    const first = table.locator('tbody tr').first().locator('th');
    await first.focus();
    await page.keyboard.press('j');
    await page.keyboard.press('l');
    await page.keyboard.press('ArrowRight');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const tr = el.closest('tr');
      return { row: tr?.getAttribute('data-row'), col: tr ? [...tr.children].indexOf(el) : -1, point: tr?.getAttribute('data-point-id') };
    });
    expect(focused).toMatchObject({ row: '1', col: 2 });
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keys of the four-column view' });
    await help.waitFor();
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog', { name: / · / });
    await drawer.getByRole('heading', { name: 'Stances' }).waitFor();
    expect(new URL(page.url()).searchParams.get('point')).toBe(focused.point);
    await page.close();
  });

  it('keeps the date and the chosen documents in the URL, and prints every row without the chrome', async () => {
    const page = await open('&view=columns&asOf=2025-11-23');
    const table = page.getByRole('table', { name: /^Four-column view:/ });
    await table.waitFor();
    expect(await table.getByRole('columnheader').count()).toBe(3);
    await page.getByText('Documents (2 of 2)').click();
    await page.getByRole('checkbox', { name: /US 28-point draft/ }).uncheck();
    await page.getByText('Documents (1 of 2)').waitFor();
    const docs = new URL(page.url()).searchParams.get('docs');
    expect(docs).toBeTruthy();
    // A shared link opens the same columns.
    const again = await open(`&view=columns&asOf=2025-11-23&docs=${docs}`);
    await again.getByRole('table', { name: 'Four-column view: E3 counter-proposal' }).waitFor();
    await again.close();

    await page.goto(`${api.url}/?n=${slug}&view=columns`);
    await table.waitFor();
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.app-header').isVisible()).toBe(false);
    expect(await page.locator('.timebar').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
    const rows = await table.locator('tbody tr').count();
    expect(rows).toBeGreaterThan(28);
    const pdf = await page.pdf({ format: 'A4', landscape: true });
    const file = join(api.dir, 'four-column.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const code of ['p01', 'p28', 'p29', 'p30']) expect(text).toContain(code);
    expect(text).not.toContain('API docs');
    await page.close();
  });
});

describe('a milestone’s page', () => {
  it('opens from the time bar, lists its stances, opens one at its day, and Back closes it', async () => {
    const page = await open('');
    const marker = page.getByRole('button', { name: '2025-12-02: Moscow talks: Putin meets Witkoff and Kushner' });
    await marker.click();
    const heading = page.getByRole('heading', { name: 'Milestone: Moscow talks: Putin meets Witkoff and Kushner' });
    await heading.waitFor();
    expect(new URL(page.url()).searchParams.get('asOf')).toBe('2025-12-02');
    const linked = page.getByRole('region', { name: /^Stances linked to this milestone \(\d+\)$/ });
    await linked.waitFor();
    const items = linked.getByRole('listitem');
    expect(await items.count()).toBeGreaterThanOrEqual(2);
    const ushakov = linked.getByRole('button', { name: /^Russia on p21 .*: Red line, 2025-12-02$/ });
    await ushakov.waitFor();
    const within = page.getByRole('region', { name: /^Stances effective that day \(2025-12-02\) \(\d+\)$/ });
    await within.waitFor();
    expect(await within.getByRole('listitem').count()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: join(SHOTS, 'milestone.png') });

    await ushakov.click();
    await page.getByRole('dialog', { name: /^p21 · / }).waitFor();
    expect(new URL(page.url()).searchParams.get('point')).toBeTruthy();
    expect(new URL(page.url()).searchParams.has('milestone')).toBe(false);
    await page.goBack();
    await heading.waitFor();
    await page.goBack();
    await heading.waitFor({ state: 'detached' });
    expect(new URL(page.url()).searchParams.has('milestone')).toBe(false);
    await page.getByRole('table').first().waitFor();
    await page.close();
  });
});
