import type { MatrixView, Source, SourceStancesPage } from '@parley/contracts';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { ADMIN, ApiProcess, freePort, launchChromium, signIn } from './server';

const SHOTS = resolve(__dirname, '../../../test-output/screenshots');
const ARTICLE = readFileSync(resolve(__dirname, '../../api/test/fixtures/seed/seed-article.txt'), 'utf8');

let api: ApiProcess;
let browser: Browser;
let slug: string;
let seedSource: Source;
let pointId: string;
let pointLabel: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  api = new ApiProcess(await freePort());
  await api.start();
  slug = (await api.json<{ slug: string }[]>('GET', '/negotiations')).body[0]?.slug ?? '';
  const sources = (await api.json<Source[]>('GET', `/negotiations/${slug}/sources`)).body;
  const found = sources.find((s) => s.outlet === 'BBC News Brasil');
  if (!found?.archive) throw new Error('the demo has no archived seed article');
  seedSource = found;
  const citing = (await api.json<SourceStancesPage>('GET', `/negotiations/${slug}/sources/${seedSource.id}/stances`)).body;
  pointId = citing.items[0]?.pointId ?? '';
  const row = (await api.json<MatrixView>('GET', `/negotiations/${slug}/matrix`)).body.rows.find((r) => r.point.id === pointId);
  pointLabel = `${row?.point.code} · ${row?.point.title}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  api?.cleanup();
});

async function drawer(page: Page) {
  await page.goto(`${api.url}/?n=${slug}&point=${pointId}`);
  const panel = page.getByRole('dialog', { name: pointLabel });
  await panel.getByRole('heading', { name: 'Stances' }).waitFor({ timeout: 15_000 });
  return panel;
}

describe('archived copies in the dashboard', () => {
  it('the point drawer shows the seed article as archived; its link opens the stored copy as plain text in a new tab; its panel lists every stance citing it', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    const panel = await drawer(page);
    await panel.getByText('archived', { exact: true }).first().waitFor();
    const [copy] = await Promise.all([context.waitForEvent('page'), panel.getByRole('link', { name: 'Open stored copy' }).first().click()]);
    await copy.waitForURL(/^blob:/);
    await copy.waitForLoadState();
    expect(await copy.evaluate(() => document.contentType)).toBe('text/plain');
    expect((await copy.locator('body').innerText()).trim()).toBe(ARTICLE.trim());
    expect(await copy.locator('script').count()).toBe(0);
    await copy.close();

    await panel.getByRole('button', { name: 'Every stance citing it' }).first().click();
    const sourcePanel = page.getByRole('dialog', { name: `Source: BBC News Brasil — ${seedSource.title}` });
    await sourcePanel.getByRole('listitem').first().waitFor();
    expect(await sourcePanel.getByRole('listitem').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'source-panel.png') });
    await context.close();
  });

  it('an analyst attaches a pasted copy to a source without one, and the drawer says "archived" at once', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${api.url}/?n=${slug}`);
    await page.getByRole('table').waitFor({ timeout: 15_000 });
    await signIn(page, ADMIN);
    const panel = await drawer(page);
    const events = panel.locator('.event__source').filter({ hasText: 'no archived copy' });
    await events.first().waitFor();
    const before = await events.count();
    await events.first().getByRole('button', { name: 'Every stance citing it' }).click();
    const sourcePanel = page.getByRole('dialog', { name: /^Source: / });
    await sourcePanel.getByLabel('Text of the source').fill('A copy pasted in the end-to-end test: Запоріжжя.');
    await sourcePanel.getByRole('button', { name: 'Archive' }).click();
    await sourcePanel.getByText(/^Archived: \d+ bytes/).waitFor();
    await page.keyboard.press('Escape');
    await page.waitForFunction(
      (n) => document.querySelectorAll('.event__source').length > 0 && [...document.querySelectorAll('.event__source')].filter((e) => e.textContent?.includes('no archived copy')).length < n,
      before,
    );
    await context.close();
  });
});
