import type { MatrixView, SearchResult, SourceDetail, SourceStancesPage } from '@parley/contracts';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser } from 'playwright-core';
import { ADMIN, ApiProcess, freePort, launchChromium, signIn } from './server';

const SHOTS = resolve(__dirname, '../../../test-output/screenshots');

/**
 * Sources in the browser on the demo: an analyst cites an existing source from the stance form's
 * picker; a search hit of an archived copy opens its source's panel through the URL, which Back
 * closes and Forward reopens; the Sources view lists the sources and opens one.
 */
let api: ApiProcess;
let browser: Browser;
let slug: string;
let seed: SourceDetail;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  api = new ApiProcess(await freePort());
  await api.start();
  slug = (await api.json<{ slug: string }[]>('GET', '/negotiations')).body[0]?.slug ?? '';
  const found = (await api.json<SourceDetail[]>('GET', `/negotiations/${slug}/sources`)).body.find((s) => s.outlet === 'BBC News Brasil');
  if (!found?.archive || !found.title) throw new Error('the demo has no archived seed article');
  seed = found;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  api?.cleanup();
});

describe('sources end to end', () => {
  it('an analyst cites an existing source from the stance form’s picker: the stance is recorded citing that source, which counts it', async () => {
    const matrix = (await api.json<MatrixView>('GET', `/negotiations/${slug}/matrix`)).body;
    const [row] = matrix.rows;
    const [party] = matrix.parties;
    if (!row || !party) throw new Error('the demo matrix is empty');
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${api.url}/?n=${slug}`);
    await page.getByRole('table').waitFor({ timeout: 15_000 });
    await signIn(page, ADMIN);

    const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await page.getByRole('button', { name: new RegExp(`^${escape(party.name)} on ${escape(row.point.code)} ${escape(row.point.title)}: `) }).click();
    const dialog = page.getByRole('dialog', { name: `${party.name} on ${row.point.code} ${row.point.title}` });
    await dialog.getByRole('radio', { name: /^Cite a source of this negotiation \(\d+\)$/ }).waitFor();
    expect(await dialog.getByRole('radio', { name: /^Cite a source of this negotiation/ }).isChecked()).toBe(true);
    await dialog.getByLabel('Find a source').fill('BBC News Brasil');
    await dialog.getByLabel('Cited source').selectOption(seed.id);
    await dialog.getByText(/· archived/).waitFor();
    await dialog.getByRole('radio', { name: 'Unclear' }).check();
    await dialog.getByLabel('Note').fill('Cites the seed article, picked in the browser test.');
    await page.screenshot({ path: join(SHOTS, 'stance-form-source-picker.png') });
    await dialog.getByRole('button', { name: 'Save stance' }).click();
    await dialog.waitFor({ state: 'detached' });

    const citing = (await api.json<SourceStancesPage>('GET', `/negotiations/${slug}/sources/${seed.id}/stances`)).body;
    const [recorded] = citing.items;
    expect(recorded).toMatchObject({ pointId: row.point.id, partyId: party.id, position: 'unclear', note: 'Cites the seed article, picked in the browser test.' });
    expect(recorded?.source.id).toBe(seed.id);
    const after = (await api.json<SourceDetail>('GET', `/negotiations/${slug}/sources/${seed.id}`)).body;
    expect(after.citedBy).toBe(seed.citedBy + 1);

    // The Sources view shows the new count.
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Sources' }).click();
    const line = page.locator(`tr[data-source-id="${seed.id}"]`);
    await line.locator('td.num', { hasText: String(after.citedBy) }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'sources-view.png') });
    // A source there opens its panel.
    await line.getByRole('button', { name: seed.title ?? '', exact: true }).click();
    await page.getByRole('dialog', { name: `Source: BBC News Brasil — ${seed.title}` }).getByRole('button', { name: 'Correct this source' }).waitFor();
    expect(new URL(page.url()).searchParams.get('source')).toBe(seed.id);
    await context.close();
  });

  it('a search hit of an archived copy opens its source’s panel through the URL; Back closes it, Forward opens it again', async () => {
    const archived = (await api.json<SearchResult>('GET', `/negotiations/${slug}/search?q=Rutte&kinds=archive`)).body;
    expect(archived.hits[0]).toMatchObject({ kind: 'archive', source: { id: seed.id } });

    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${api.url}/?n=${slug}`);
    await page.getByRole('table').waitFor({ timeout: 15_000 });
    await page.getByLabel('Search this negotiation').fill('Rutte');
    await page.getByLabel('Search this negotiation').press('Enter');
    const results = page.getByRole('region', { name: 'Search results' });
    await results.getByRole('status').filter({ hasText: /hits?$/ }).waitFor();
    await results.getByRole('button').filter({ hasText: /^Archived copy/ }).first().click();
    await results.waitFor({ state: 'detached' });
    expect(new URL(page.url()).searchParams.get('source')).toBe(seed.id);

    const panelName = `Source: BBC News Brasil — ${seed.title}`;
    const panel = page.getByRole('dialog', { name: panelName });
    await panel.getByRole('listitem').first().waitFor();
    await panel.getByText('archived', { exact: true }).waitFor();
    const [copy] = await Promise.all([context.waitForEvent('page'), panel.getByRole('link', { name: 'Open stored copy' }).click()]);
    await copy.waitForURL(/^blob:/);
    await copy.waitForLoadState();
    expect(await copy.evaluate(() => document.contentType)).toBe('text/plain');
    expect(await copy.locator('body').innerText()).toContain('Rutte');
    await copy.close();

    await page.goBack();
    await panel.waitFor({ state: 'detached' });
    expect(new URL(page.url()).searchParams.has('source')).toBe(false);
    await page.goForward();
    await panel.getByRole('listitem').first().waitFor();

    // The link can be shared: a new page opens on the panel.
    const shared = await context.newPage();
    await shared.goto(page.url());
    await shared.getByRole('dialog', { name: panelName }).getByRole('listitem').first().waitFor({ timeout: 15_000 });
    await context.close();
  });
});
