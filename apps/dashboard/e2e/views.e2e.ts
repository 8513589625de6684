import type { MatrixView } from '@parley/contracts';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { ApiProcess, freePort, launchChromium } from './server';

/** The wall display and the party filter's summaries, in real Chromium on the demo data. */
const SHOTS = resolve(__dirname, '../../../test-output/screenshots');

let api: ApiProcess;
let browser: Browser;
let slug: string;
let title: string;
let matrix: MatrixView;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  api = new ApiProcess(await freePort());
  await api.start();
  const list = await api.json<{ slug: string; title: string }[]>('GET', '/negotiations');
  const first = list.body[0];
  if (!first) throw new Error('no demo negotiation');
  slug = first.slug;
  title = first.title;
  matrix = (await api.json<MatrixView>('GET', `/negotiations/${slug}/matrix`)).body;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  api?.cleanup();
});

async function open(search: string, viewport = { width: 1366, height: 768 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await page.goto(`${api.url}/?n=${slug}${search}`);
  await page.getByRole('table').waitFor({ timeout: 15_000 });
  return page;
}

describe('dashboard views end to end', () => {
  it('big-screen mode shows the matrix with no controls but an exit link, and no time bar', async () => {
    const page = await open('&screen=big', { width: 1920, height: 1080 });
    await page.getByRole('rowheader', { name: /Cap on Ukraine's armed forces/ }).waitFor();
    // The negotiation's title, hidden behind the switcher elsewhere, names the screen here.
    expect(await page.getByRole('heading', { name: title, level: 2 }).isVisible()).toBe(true);
    // No control is visible: no button, field, menu or filter; the only link is the way out.
    const visibleControls = await page.evaluate(
      () =>
        [...document.querySelectorAll<HTMLElement>('button, input, select, textarea, summary, [role="button"]')].filter((el) => el.offsetParent !== null || el.getClientRects().length > 0)
          .length,
    );
    expect(visibleControls).toBe(0);
    const links = await page.locator('a:visible').allInnerTexts();
    expect(links).toEqual(['Exit big screen']);
    expect(await page.locator('.timebar').isVisible()).toBe(false);
    expect(await page.getByRole('search', { name: 'Filter the matrix' }).count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'big-screen.png') });

    await page.getByRole('link', { name: 'Exit big screen' }).click();
    await page.getByRole('button', { name: 'Play' }).waitFor();
    expect(new URL(page.url()).searchParams.has('screen')).toBe(false);
    await page.close();
  });

  it('with Russia\'s column hidden, a point only Russia blocks no longer reads "Blocked"', async () => {
    const ru = matrix.parties.find((p) => p.code === 'RU');
    if (!ru) throw new Error('no RU in the demo');
    // A point where Russia holds the only red line.
    const row = matrix.rows.find((r) => r.cells[ru.id]?.stance?.position === 'red_line' && Object.entries(r.cells).every(([id, c]) => id === ru.id || c.stance?.position !== 'red_line'));
    if (!row) throw new Error('no point blocked by Russia alone in the demo');
    const page = await open('');
    const summary = page.getByRole('row', { name: new RegExp(row.point.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).locator('td.col-summary');
    expect(await summary.innerText()).toBe('Blocked');

    await page.getByText(/^Parties \(\d+ of \d+\)$/).click();
    await page.getByRole('checkbox', { name: ru.name }).uncheck();
    await page.getByRole('columnheader', { name: ru.name }).waitFor({ state: 'detached' });
    expect(new URL(page.url()).searchParams.get('parties')?.split(',')).not.toContain('RU');
    expect(await summary.innerText()).not.toBe('Blocked');
    await page.getByRole('table', { name: /summaries over the \d+ of \d+ parties shown/ }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'filtered-summaries.png') });
    await page.close();
  });
});
