import type { MatrixView } from '@parley/contracts';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ADMIN, ApiProcess, freePort, launchChromium, signIn } from './server';

const SHOTS = resolve(__dirname, '../../../test-output/screenshots');
/** The README's screenshots (1366×768, demo data): refreshed only with UPDATE_README_SHOTS=1, so test runs leave the tree clean. */
const README_SHOTS = process.env['UPDATE_README_SHOTS'] === '1' ? resolve(__dirname, '../../../docs/images') : SHOTS;
const ANALYSTS = [
  { email: 'analyst.one@example.org', name: 'Analyst One', password: 'analyst-password-1' },
  { email: 'analyst.two@example.org', name: 'Analyst Two', password: 'analyst-password-2' },
] as const;

let api: ApiProcess;
let browser: Browser;
let slug: string;
let matrix: MatrixView;
const contexts: BrowserContext[] = [];

function ids(pointCode: string, partyCode: string): { pointId: string; partyId: string; pointTitle: string; partyName: string } {
  const row = matrix.rows.find((r) => r.point.code === pointCode);
  const party = matrix.parties.find((p) => p.code === partyCode);
  if (!row || !party) throw new Error(`no cell ${pointCode}/${partyCode}`);
  return { pointId: row.point.id, partyId: party.id, pointTitle: row.point.title, partyName: party.name };
}

function cell(page: Page, pointCode: string, partyCode: string) {
  const { pointId, partyId } = ids(pointCode, partyCode);
  return page.locator(`td[data-point="${pointId}"][data-party="${partyId}"]`);
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${api.url}/?n=${slug}`);
  try {
    await page.getByRole('table').waitFor({ timeout: 15_000 });
  } catch (err) {
    await page.screenshot({ path: join(SHOTS, 'failed-load.png') });
    throw new Error(`the matrix did not load: ${(await page.locator('main').innerText()).slice(0, 500)}; ${String(err)}`);
  }
  return page;
}

async function openForm(page: Page, pointCode: string, partyCode: string) {
  const { partyName, pointTitle } = ids(pointCode, partyCode);
  await page.getByRole('button', { name: new RegExp(`^${partyName} on ${pointCode} ${escape(pointTitle)}: `) }).click();
  const dialog = page.getByRole('dialog', { name: `${partyName} on ${pointCode} ${pointTitle}` });
  await dialog.waitFor();
  return dialog;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function waitLive(page: Page): Promise<void> {
  await page.locator('.connection[data-state="live"]').waitFor({ timeout: 15_000 });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  mkdirSync(README_SHOTS, { recursive: true });
  api = new ApiProcess(await freePort());
  await api.start();
  const admin = await api.login(ADMIN.email, ADMIN.password);
  for (const a of ANALYSTS) {
    const res = await api.json('POST', '/users', { ...a, role: 'analyst' }, admin);
    if (res.status !== 201) throw new Error(`create analyst: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const list = await api.json<{ slug: string }[]>('GET', '/negotiations');
  const first = list.body[0];
  if (!first) throw new Error('no demo negotiation');
  slug = first.slug;
  matrix = (await api.json<MatrixView>('GET', `/negotiations/${slug}/matrix`)).body;
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await api?.stop();
  api?.cleanup();
});

describe('dashboard end to end', () => {
  let viewer: Page;

  it('(1) shows a viewer the demo matrix with party headers and labelled cells', async () => {
    viewer = await newPage();
    for (const name of ['Russia', 'Ukraine', 'United States', 'Europe (E3 and EU)', 'NATO']) {
      await viewer.getByRole('columnheader', { name }).waitFor();
    }
    await viewer.getByRole('rowheader', { name: /Cap on Ukraine's armed forces/ }).waitFor();
    expect(await cell(viewer, 'p06', 'UA').getAttribute('data-position')).toBe('accept');
    expect(await cell(viewer, 'p06', 'UA').innerText()).toContain('Accept');
    await waitLive(viewer);
    await viewer.getByRole('status').filter({ hasText: /Live · \d+ viewers?/ }).waitFor();
    await viewer.screenshot({ path: join(SHOTS, 'matrix.png') });
    await viewer.screenshot({ path: join(README_SHOTS, 'matrix.png') });
  });

  it('(3) moving the date back shows the earlier position', async () => {
    const page = await newPage();
    await page.getByLabel('As of').fill('2025-11-22');
    await page.getByRole('table', { name: /as of 2025-11-22/ }).waitFor();
    // Russia on territory: accepting the US draft as a basis on 21 Nov, a red line since 27 Nov.
    await page.waitForFunction(
      ([p, q]) => document.querySelector(`td[data-point="${p}"][data-party="${q}"]`)?.getAttribute('data-position') === 'accept',
      [ids('p21', 'RU').pointId, ids('p21', 'RU').partyId] as const,
    );
    expect(new URL(page.url()).searchParams.get('asOf')).toBe('2025-11-22');
    await page.screenshot({ path: join(SHOTS, 'matrix-as-of.png') });
    await page.getByRole('button', { name: 'Now' }).click();
    await page.waitForFunction(
      ([p, q]) => document.querySelector(`td[data-point="${p}"][data-party="${q}"]`)?.getAttribute('data-position') === 'red_line',
      [ids('p21', 'RU').pointId, ids('p21', 'RU').partyId] as const,
    );
  });

  it('(6) the point drawer and the trends view open from the matrix; Play replays the days', async () => {
    const page = await newPage();
    const { pointTitle } = ids('p06', 'UA');
    await page.getByRole('button', { name: pointTitle, exact: true }).click();
    const drawer = page.getByRole('dialog', { name: `p06 · ${pointTitle}` });
    await drawer.getByRole('heading', { name: 'Stances' }).waitFor();
    await drawer.getByRole('region', { name: 'Ukraine' }).waitFor();
    expect(new URL(page.url()).searchParams.get('point')).toBe(ids('p06', 'UA').pointId);
    await page.screenshot({ path: join(SHOTS, 'point-detail.png') });
    await page.screenshot({ path: join(README_SHOTS, 'point-detail.png') });
    await drawer.getByRole('button', { name: 'Close point detail' }).click();

    await page.getByRole('link', { name: 'Trends', exact: true }).click();
    await page.locator('.recharts-surface').first().waitFor({ timeout: 15_000 });
    await page.getByRole('heading', { name: /Party distances/ }).waitFor();
    // Let the chart finish its entry animation.
    await page.waitForTimeout(1_500);
    await page.screenshot({ path: join(SHOTS, 'trends.png') });
    await page.screenshot({ path: join(README_SHOTS, 'trends.png') });

    await page.getByRole('link', { name: 'Matrix', exact: true }).click();
    await page.getByRole('table').waitFor();
    await page.getByRole('button', { name: 'Play' }).click();
    const asOf = () => new URL(page.url()).searchParams.get('asOf');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('asOf') !== null);
    const first = asOf();
    await page.waitForFunction((day) => (new URL(location.href).searchParams.get('asOf') ?? '') > (day ?? ''), first, { timeout: 5_000 });
    await page.getByRole('button', { name: 'Pause' }).click();
    const paused = asOf();
    expect((paused ?? '') > (first ?? '')).toBe(true);
    await page.getByRole('table', { name: new RegExp(`as of ${paused}`) }).waitFor();
    await page.waitForTimeout(1_000);
    expect(asOf()).toBe(paused);
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('asOf'));

    // Keyboard: one grid element in the tab order; the arrow keys move across the cells.
    await page.locator('tbody [data-nav][tabindex="0"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return { party: el?.dataset['party'] ?? null, point: el?.dataset['point'] ?? null, tabbable: document.querySelectorAll('tbody [tabindex="0"]').length };
    });
    expect(focused).toEqual({ party: matrix.parties[0]?.id, point: matrix.rows[1]?.point.id, tabbable: 1 });
    await page.screenshot({ path: join(SHOTS, 'keyboard-focus.png') });
  });

  it('(2) an analyst records a stance in the UI and the viewer sees it within 2 s, without reload', async () => {
    await waitLive(viewer);
    const analyst = await newPage();
    await signIn(analyst, ANALYSTS[0]);
    const before = await cell(viewer, 'p01', 'NATO').getAttribute('data-position');
    expect(before).not.toBe('red_line');

    const dialog = await openForm(analyst, 'p01', 'NATO');
    await dialog.getByRole('radio', { name: 'Red line' }).check();
    // The demo has sources: the form offers them first; these cite a new one.
    await dialog.getByRole('radio', { name: 'Enter a new source' }).check();
    await dialog.getByLabel('Outlet').fill('NATO press office');
    await dialog.getByLabel('Note').fill('Recorded by the end-to-end test.');
    await analyst.screenshot({ path: join(SHOTS, 'stance-form.png') });
    const savedAt = Date.now();
    await dialog.getByRole('button', { name: 'Save stance' }).click();
    await dialog.waitFor({ state: 'detached' });

    await cell(viewer, 'p01', 'NATO').and(viewer.locator('[data-position="red_line"]')).waitFor({ timeout: 2_000 });
    expect(Date.now() - savedAt).toBeLessThan(2_000);
    expect(await cell(viewer, 'p01', 'NATO').getAttribute('class')).toContain('cell--flash');
    // Focus went back to the cell the form was opened from.
    expect(await analyst.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toMatch(/^NATO on p01 .*: Red line$/);
  });

  it('(7) an analyst retracts that stance with a reason in the point drawer, and the cell falls back', async () => {
    const page = await newPage();
    await signIn(page, ANALYSTS[0]);
    const { pointTitle } = ids('p01', 'NATO');
    await page.getByRole('button', { name: pointTitle, exact: true }).click();
    const drawer = page.getByRole('dialog', { name: `p01 · ${pointTitle}` });
    await drawer.getByRole('button', { name: /^Retract NATO: Red line/ }).click();
    const dialog = page.getByRole('dialog', { name: /^Retract: NATO: Red line/ });
    await dialog.getByRole('button', { name: 'Retract event' }).click();
    await dialog.getByText('Reason must not be empty').waitFor();
    await dialog.getByLabel('Reason (required)').fill('Recorded on the wrong point (end-to-end test)');
    await page.screenshot({ path: join(SHOTS, 'retract.png') });
    await dialog.getByRole('button', { name: 'Retract event' }).click();
    await dialog.waitFor({ state: 'detached' });
    await drawer.getByText('Recorded on the wrong point (end-to-end test)').waitFor();
    await page.waitForFunction(
      ([p, q]) => document.querySelector(`td[data-point="${p}"][data-party="${q}"]`)?.getAttribute('data-position') !== 'red_line',
      [ids('p01', 'NATO').pointId, ids('p01', 'NATO').partyId] as const,
    );
    await cell(viewer, 'p01', 'NATO').and(viewer.locator(':not([data-position="red_line"])')).waitFor({ timeout: 2_000 });
  });

  it('(4) a conflict between two analysts shows both versions, and "Keep mine" saves over theirs knowingly', async () => {
    const one = await newPage();
    await signIn(one, ANALYSTS[0]);
    const two = await newPage();
    await signIn(two, ANALYSTS[1]);

    const formTwo = await openForm(two, 'p02', 'NATO');
    const formOne = await openForm(one, 'p02', 'NATO');
    await formOne.getByRole('radio', { name: 'Accept' }).check();
    // The demo has sources: the form offers them first; these cite a new one.
    await formOne.getByRole('radio', { name: 'Enter a new source' }).check();
    await formOne.getByLabel('Outlet').fill('Reuters');
    await formOne.getByRole('button', { name: 'Save stance' }).click();
    await formOne.waitFor({ state: 'detached' });

    await formTwo.getByRole('radio', { name: 'Reject' }).check();
    // The demo has sources: the form offers them first; these cite a new one.
    await formTwo.getByRole('radio', { name: 'Enter a new source' }).check();
    await formTwo.getByLabel('Outlet').fill('AP');
    await formTwo.getByRole('button', { name: 'Save stance' }).click();
    await formTwo.getByText('Someone else changed this cell').waitFor();
    const theirs = formTwo.getByRole('region', { name: 'Theirs (saved)' });
    const mine = formTwo.getByRole('region', { name: 'Yours (not saved)' });
    expect(await theirs.innerText()).toContain('Accept');
    expect(await theirs.innerText()).toContain('Reuters');
    expect(await theirs.innerText()).toContain(ANALYSTS[0].email);
    expect(await mine.innerText()).toContain('Reject');
    expect(await mine.innerText()).toContain('AP');
    await two.screenshot({ path: join(SHOTS, 'conflict.png') });

    await formTwo.getByRole('button', { name: 'Keep mine' }).click();
    await formTwo.waitFor({ state: 'detached' });
    await cell(one, 'p02', 'NATO').and(one.locator('[data-position="reject"]')).waitFor({ timeout: 2_000 });
    await cell(viewer, 'p02', 'NATO').and(viewer.locator('[data-position="reject"]')).waitFor({ timeout: 2_000 });
  });

  it('(5) the viewer shows "Reconnecting" while the server is down and applies the missed change when it is back', async () => {
    await waitLive(viewer);
    const token = await api.login(ANALYSTS[0].email, ANALYSTS[0].password);
    const target = ids('p03', 'NATO');
    const version = matrix.rows.find((r) => r.point.id === target.pointId)?.cells[target.partyId]?.version ?? 0;

    await api.stop();
    await viewer.getByRole('status').filter({ hasText: 'Reconnecting…' }).waitFor({ timeout: 10_000 });
    await viewer.screenshot({ path: join(SHOTS, 'reconnecting.png') });

    await api.start();
    const res = await api.json(
      'POST',
      `/negotiations/${slug}/stances`,
      { ...target, pointTitle: undefined, partyName: undefined, position: 'conditional', confidence: 'official', effectiveAt: '2025-12-01', source: { outlet: 'NATO' }, expectedVersion: version },
      token,
    );
    expect(res.status).toBe(201);

    await waitLive(viewer);
    await cell(viewer, 'p03', 'NATO').and(viewer.locator('[data-position="conditional"]')).waitFor({ timeout: 10_000 });
  });
});
