import type { MatrixView, Negotiation, Proposal } from '@parley/contracts';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ADMIN, ApiProcess, freePort, launchChromium, signIn } from './server';

/**
 * Issue 17 in real Chromium: an admin requires review; analyst A proposes a stance in the stance
 * form; analyst B's header badge counts it (live, from the staff stream) and the cell shows
 * "1 pending"; B approves it from the review queue with the keyboard; a viewer's page, open all
 * along, shows the published stance without a reload and never received anything of the proposal.
 */
const SHOTS = resolve(__dirname, '../../../test-output/screenshots');
const ANALYST_A = { email: 'reviewer.a@example.org', name: 'Analyst A', password: 'analyst-password-a' };
const ANALYST_B = { email: 'reviewer.b@example.org', name: 'Analyst B', password: 'analyst-password-b' };
const NOTE = 'Proposed by the review end-to-end test';

let api: ApiProcess;
let browser: Browser;
let slug: string;
let matrix: MatrixView;
const contexts: BrowserContext[] = [];

function ids(pointCode: string, partyCode: string) {
  const row = matrix.rows.find((r) => r.point.code === pointCode);
  const party = matrix.parties.find((p) => p.code === partyCode);
  if (!row || !party) throw new Error(`no cell ${pointCode}/${partyCode}`);
  return { pointId: row.point.id, partyId: party.id, pointTitle: row.point.title, partyName: party.name };
}

const cell = (page: Page, pointCode: string, partyCode: string) => {
  const { pointId, partyId } = ids(pointCode, partyCode);
  return page.locator(`td[data-point="${pointId}"][data-party="${partyId}"]`);
};

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A page in a context of its own (its own session), the matrix loaded; `watch` sees its socket frames from the start. */
async function newPage(watch?: (frame: string) => void): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  contexts.push(context);
  const page = await context.newPage();
  if (watch) page.on('websocket', (ws) => ws.on('framereceived', (f) => watch(typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8'))));
  await page.goto(`${api.url}/?n=${slug}`);
  await page.getByRole('table').waitFor({ timeout: 15_000 });
  return page;
}

const waitLive = (page: Page) => page.locator('.connection[data-state="live"]').waitFor({ timeout: 15_000 });

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  api = new ApiProcess(await freePort());
  await api.start();
  const admin = await api.login(ADMIN.email, ADMIN.password);
  for (const a of [ANALYST_A, ANALYST_B]) {
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

describe('review before publish', () => {
  it('an admin requires review; A proposes; B sees the badge, approves by keyboard; the viewer sees only the published stance, live', async () => {
    // The viewer's page, open from the start: every socket frame it receives is kept.
    const frames: string[] = [];
    const viewer = await newPage((f) => frames.push(f));
    await waitLive(viewer);
    const target = ids('p01', 'NATO');
    const before = await cell(viewer, 'p01', 'NATO').getAttribute('data-position');
    expect(before).not.toBe('red_line');
    // A marker that a reload would lose.
    await viewer.evaluate(() => ((window as unknown as { parleyNoReload: boolean }).parleyNoReload = true));

    // The admin switches the policy on in the review view.
    const admin = await newPage();
    await signIn(admin, ADMIN);
    await admin.getByRole('link', { name: 'Review', exact: true }).click();
    await admin.getByRole('heading', { name: 'Review queue' }).waitFor();
    await admin.getByLabel('Review before publish').selectOption('required');
    await admin.waitForFunction(() => (document.querySelector('.review-policy select') as HTMLSelectElement | null)?.value === 'required');
    expect((await api.json<Negotiation>('GET', `/negotiations/${slug}`)).body.reviewPolicy).toBe('required');

    // Analyst B, watching the matrix: no proposal yet.
    const b = await newPage();
    await signIn(b, ANALYST_B);
    await waitLive(b);
    const badge = b.getByRole('link', { name: /^Review queue: \d+ proposals? waiting$/ });
    await b.getByRole('link', { name: 'Review queue: 0 proposals waiting' }).waitFor({ timeout: 15_000 });
    // The viewer has no badge and no review view.
    expect(await viewer.locator('.review-badge').count()).toBe(0);
    expect(await viewer.getByRole('link', { name: 'Review', exact: true }).count()).toBe(0);

    // Analyst A proposes a red line through the stance form.
    const a = await newPage();
    await signIn(a, ANALYST_A);
    await a.getByRole('button', { name: new RegExp(`^${target.partyName} on p01 ${escape(target.pointTitle)}: `) }).click();
    const form = a.getByRole('dialog', { name: `${target.partyName} on p01 ${target.pointTitle}` });
    await form.getByRole('radio', { name: 'Red line' }).check();
    await form.getByRole('radio', { name: 'Enter a new source' }).check();
    await form.getByLabel('Outlet').fill('NATO press office');
    await form.getByLabel('Note').fill(NOTE);
    const proposedAt = Date.now();
    await form.getByRole('button', { name: 'Save stance' }).click();
    const sent = form.getByRole('status').filter({ hasText: 'Sent for review.' });
    await sent.getByRole('button', { name: 'Close' }).click();
    await form.waitFor({ state: 'detached' });

    // B's badge counts it, live (a generous wait; the latency is logged, not asserted).
    await b.getByRole('link', { name: 'Review queue: 1 proposal waiting' }).waitFor({ timeout: 10_000 });
    console.log(`review e2e: B's badge showed the proposal ${Date.now() - proposedAt} ms after A saved it`);
    await cell(b, 'p01', 'NATO').getByText('1 pending').waitFor({ timeout: 5_000 });
    await cell(b, 'p01', 'NATO').scrollIntoViewIfNeeded();
    // Seen, not cut off by the cell's one-line box: the mark is what is on top at its own centre.
    const seen = await cell(b, 'p01', 'NATO')
      .locator('.cell__pending')
      .evaluate((el) => {
        const r = el.getBoundingClientRect();
        const box = el.closest('.cell__box')?.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return { onTop: el.contains(hit), inside: !!box && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5 && r.left >= box.left - 0.5 && r.right <= box.right + 0.5 };
      });
    expect(seen).toEqual({ onTop: true, inside: true });
    await b.screenshot({ path: join(SHOTS, 'review-pending.png') });
    const open = await api.json<{ items: Proposal[] }>('GET', `/negotiations/${slug}/proposals?status=open`, undefined, await api.login(ANALYST_B.email, ANALYST_B.password));
    expect(open.body.items).toHaveLength(1);
    const [proposal] = open.body.items;
    if (!proposal) throw new Error('no open proposal');
    expect(proposal.author).toBe(ANALYST_A.email);

    // The viewer still sees the old stance, and no pending mark.
    expect(await cell(viewer, 'p01', 'NATO').getAttribute('data-position')).toBe(before);
    expect(await viewer.getByText(/\d+ pending/).count()).toBe(0);

    // B opens the queue from the badge: the proposal beside the cell's current stance.
    await badge.click();
    const detail = b.getByRole('article', { name: `Proposal: ${target.partyName} on p01 ${target.pointTitle}` });
    await detail.waitFor();
    expect(new URL(b.url()).searchParams.get('view')).toBe('review');
    const changes = detail.getByRole('table', { name: 'What the proposal changes' });
    const position = changes.getByRole('row', { name: /^Position \(changed\)/ });
    expect(await position.locator('td').last().innerText()).toBe('Red line');
    expect(await changes.getByRole('row', { name: /^Note \(changed\)/ }).locator('td').last().innerText()).toBe(NOTE);
    await b.screenshot({ path: join(SHOTS, 'review-queue.png') });

    // Approve with the keyboard: j (stays on the only one), then a.
    await b.locator('body').press('j');
    const approvedAt = Date.now();
    await b.locator('body').press('a');
    await b.getByRole('status').filter({ hasText: /^Approved: published as change #\d+/ }).waitFor({ timeout: 10_000 });
    await b.getByRole('link', { name: 'Review queue: 0 proposals waiting' }).waitFor({ timeout: 10_000 });

    // The viewer's page shows the published stance without a reload.
    await cell(viewer, 'p01', 'NATO').and(viewer.locator('[data-position="red_line"]')).waitFor({ timeout: 10_000 });
    console.log(`review e2e: the viewer showed the approved stance ${Date.now() - approvedAt} ms after B pressed a`);
    expect(await viewer.evaluate(() => (window as unknown as { parleyNoReload?: boolean }).parleyNoReload)).toBe(true);
    const published = (await api.json<MatrixView>('GET', `/negotiations/${slug}/matrix`)).body.rows.find((r) => r.point.id === target.pointId)?.cells[target.partyId]?.stance;
    expect(published).toMatchObject({ position: 'red_line', recordedBy: ANALYST_A.email, approvedBy: ANALYST_B.email, note: NOTE });

    // The viewer never received anything of the proposal: no proposal event, not its id, and the
    // note only in the published change (which came after the approval).
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.filter((f) => f.includes('"proposals"') || f.includes(proposal.id))).toEqual([]);
    const withNote = frames.filter((f) => f.includes(NOTE));
    expect(withNote.length).toBeGreaterThan(0);
    expect(withNote.every((f) => f.includes(published?.id ?? 'no published event'))).toBe(true);
    expect(await viewer.getByText(/\d+ pending/).count()).toBe(0);
  });
});
