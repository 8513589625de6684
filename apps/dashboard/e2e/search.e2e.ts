import type { SearchResult } from '@parley/contracts';
import { type Browser } from 'playwright-core';
import { ApiProcess, freePort, launchChromium } from './server';

/**
 * The header's search on the demo: "Rutte" finds his stances, a hit opens its cell at its date, the
 * stance's source (the seed article) is shown archived, and its stored copy opens.
 */
let api: ApiProcess;
let browser: Browser;
let slug: string;

beforeAll(async () => {
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

describe('search end to end', () => {
  it('searches "Rutte", shows the matches marked, opens the hit at its cell and date, and there the archived source and its stored copy', async () => {
    const found = (await api.json<SearchResult>('GET', `/negotiations/${slug}/search?q=Rutte`)).body;
    const hit = found.hits[0];
    if (hit?.kind !== 'stance') throw new Error(`the demo's first hit for Rutte is not a stance: ${JSON.stringify(found).slice(0, 300)}`);
    const day = hit.stance.effectiveAt.slice(0, 10);

    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${api.url}/?n=${slug}`);
    await page.getByRole('table').waitFor({ timeout: 15_000 });
    await page.getByLabel('Search this negotiation').fill('Rutte');
    await page.getByLabel('Search this negotiation').press('Enter');
    const results = page.getByRole('region', { name: 'Search results' });
    await results.getByRole('status').filter({ hasText: /hits?$/ }).waitFor();
    const first = results.getByRole('button').filter({ hasText: `${hit.stance.partyName} on ${hit.stance.pointCode}` }).first();
    expect((await first.locator('mark').allInnerTexts()).map((m) => m.toLowerCase())).toContain('rutte');

    await first.click();
    await results.waitFor({ state: 'detached' });
    const url = new URL(page.url());
    expect(url.searchParams.get('point')).toBe(hit.stance.pointId);
    expect(url.searchParams.get('asOf')).toBe(day);
    // The point drawer of the stance's point, its party's stances in it, over the matrix as of that day with the cell.
    const drawer = page.getByRole('dialog', { name: `${hit.stance.pointCode} · ${hit.stance.pointTitle}` });
    await drawer.getByRole('heading', { name: 'Stances' }).waitFor();
    await drawer.getByRole('region', { name: hit.stance.partyName }).waitFor();
    await page.getByRole('table', { name: new RegExp(`as of ${day}`) }).waitFor();
    expect(await page.locator(`td[data-point="${hit.stance.pointId}"][data-party="${hit.stance.partyId}"]`).count()).toBe(1);
    // Its source is the seed article, archived: the stored copy opens as plain text and names him.
    const party = drawer.getByRole('region', { name: hit.stance.partyName });
    await party.getByText('archived', { exact: true }).first().waitFor();
    const [copy] = await Promise.all([context.waitForEvent('page'), party.getByRole('link', { name: 'Open stored copy' }).first().click()]);
    // The copy opens as a blob of plain text (fetched with the credential), never as HTML.
    await copy.waitForURL(/^blob:/);
    await copy.waitForLoadState();
    expect(await copy.evaluate(() => document.contentType)).toBe('text/plain');
    expect(await copy.locator('body').innerText()).toContain('Mark Rutte');
    await context.close();
  });
});
