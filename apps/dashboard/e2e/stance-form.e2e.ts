import type { ChangesPage, MatrixView, Milestone, PlanDocument, PointHistory, SourceDetail, StanceEvent } from '@parley/contracts';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { ADMIN, ApiProcess, freePort, launchChromium, signIn } from './server';

const SHOTS = resolve(__dirname, '../../../test-output/screenshots');

/**
 * The full stance form in Chromium on the demo: an analyst records NATO's stance on p07 at the NATO
 * ministers' meeting, mostly from the keyboard — the position by its digit, the keys' list with `?`,
 * the source found by typing and picked with Enter, the milestone, the document, a condition with
 * the point it depends on, a quote with its translation — saves with Ctrl+Enter, and finds the
 * stance on the milestone's page.
 */
let api: ApiProcess;
let browser: Browser;
let slug: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  api = new ApiProcess(await freePort());
  await api.start();
  slug = (await api.json<{ slug: string }[]>('GET', '/negotiations')).body[0]?.slug ?? '';
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  api?.cleanup();
});

const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the stance form end to end', () => {
  it('records a stance citing an existing source at a milestone, from the keyboard, and the milestone’s page lists it', async () => {
    const matrix = (await api.json<MatrixView>('GET', `/negotiations/${slug}/matrix`)).body;
    const nato = matrix.parties.find((p) => p.code === 'NATO');
    const p07 = matrix.rows.find((r) => r.point.code === 'p07')?.point;
    const p05 = matrix.rows.find((r) => r.point.code === 'p05')?.point;
    const seed = (await api.json<SourceDetail[]>('GET', `/negotiations/${slug}/sources`)).body.find((s) => s.outlet === 'BBC News Brasil');
    const ministers = (await api.json<Milestone[]>('GET', `/negotiations/${slug}/milestones`)).body.find((m) => m.title === 'NATO foreign ministers meet in Brussels');
    const geneva = (await api.json<PlanDocument[]>('GET', `/negotiations/${slug}/documents`)).body.find((d) => d.shortTitle === 'Geneva framework');
    if (!nato || !p07 || !p05 || !seed || !ministers || !geneva) throw new Error('the demo lacks NATO, p05/p07, the BBC source, the NATO ministers’ meeting or the Geneva framework');
    const before = (await api.json<ChangesPage>('GET', `/negotiations/${slug}/changes?milestoneId=${ministers.id}&limit=500`)).body;
    expect(before.items.some((i) => i.event.partyId === nato.id && i.event.pointId === p07.id)).toBe(false);

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${api.url}/?n=${slug}`);
    await page.getByRole('table').waitFor({ timeout: 15_000 });
    await signIn(page, ADMIN);

    await page.getByRole('button', { name: new RegExp(`^${escape(nato.name)} on ${escape(p07.code)} ${escape(p07.title)}: `) }).click();
    const dialog = page.getByRole('dialog', { name: `${nato.name} on ${p07.code} ${p07.title}` });
    await dialog.getByRole('radio', { name: /^Cite a source of this negotiation \(\d+\)$/ }).waitFor();
    await dialog.getByRole('option', { name: `2025-12-03 · ${ministers.title}` }).waitFor({ state: 'attached' });
    await dialog.getByRole('checkbox', { name: `${p05.code} ${p05.title}` }).waitFor();
    // The focus starts on the first position; `?` lists the keys, Esc closes the list and not the form.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-position'))).toBe('accept');
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keys of the stance form' });
    await help.getByText('go to milestone').waitFor();
    await page.screenshot({ path: join(SHOTS, 'stance-form-keys.png') });
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    expect(await dialog.isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-position'))).toBe('accept');

    // 3: Amend. s: the source search; Enter picks the one source that matches.
    await page.keyboard.press('3');
    expect(await dialog.getByRole('radio', { name: 'Amend' }).isChecked()).toBe(true);
    await page.keyboard.press('s');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe('search');
    await page.keyboard.type('BBC News Brasil');
    await page.keyboard.press('Enter');
    expect(await dialog.getByLabel('Cited source').inputValue()).toBe(seed.id);
    await dialog.getByText(/· archived/).waitFor();

    // Back on a position (Shift+Tab out of the search), m and d jump to the milestone and the document.
    await dialog.getByRole('radio', { name: 'Amend' }).focus();
    await page.keyboard.press('m');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-key'))).toBe('m');
    await dialog.getByLabel('Milestone').selectOption(ministers.id);
    await dialog.getByLabel('Document').selectOption(geneva.id);
    await dialog.getByLabel('Effective date').fill('2025-12-03');
    await dialog.getByLabel('Confidence').selectOption('official');
    await dialog.getByLabel('Conditions').fill('Only once the security guarantees are in force');
    await dialog.getByLabel('Find a point').fill(p05.code);
    await dialog.getByLabel('Find a point').press('Enter');
    expect(await dialog.getByRole('checkbox', { name: `${p05.code} ${p05.title}` }).isChecked()).toBe(true);
    await dialog.getByLabel('Quote (original words)').fill('A porta da OTAN continua aberta, mas não agora');
    await dialog.getByLabel('Quote language').fill('pt');
    await dialog.getByLabel('Translation', { exact: true }).fill('NATO’s door stays open, but not now');
    await dialog.getByLabel('Translation language').fill('en');
    await dialog.getByLabel('Note').fill('Recorded in the stance-form browser test.');
    await page.screenshot({ path: join(SHOTS, 'stance-form-full.png'), fullPage: true });
    // Ctrl+Enter saves from the text area.
    await dialog.getByLabel('Note').press('Control+Enter');
    await dialog.waitFor({ state: 'detached' });

    const linked = (await api.json<ChangesPage>('GET', `/negotiations/${slug}/changes?milestoneId=${ministers.id}&limit=500`)).body;
    const recorded = linked.items.find((i) => i.event.partyId === nato.id && i.event.pointId === p07.id)?.event;
    expect(recorded).toMatchObject({
      position: 'amend',
      confidence: 'official',
      effectiveAt: '2025-12-03T00:00:00.000Z',
      milestoneId: ministers.id,
      documentId: geneva.id,
      conditions: { text: 'Only once the security guarantees are in force', pointIds: [p05.id] },
      quote: 'A porta da OTAN continua aberta, mas não agora',
      quoteLanguage: 'pt',
      translation: 'NATO’s door stays open, but not now',
      translationLanguage: 'en',
      note: 'Recorded in the stance-form browser test.',
    });
    expect(recorded?.source.id).toBe(seed.id);

    // The milestone's page, opened by its link, lists the stance among those linked to it.
    await page.goto(`${api.url}/?n=${slug}&milestone=${ministers.id}`);
    await page.getByRole('heading', { name: `Milestone: ${ministers.title}` }).waitFor({ timeout: 15_000 });
    const section = page.getByRole('region', { name: /^Stances linked to this milestone \(\d+\)$/ });
    const entry = section.getByRole('button', { name: `${nato.name} on ${p07.code} ${p07.title}: Amend, 2025-12-03` });
    await entry.waitFor();
    expect(await section.locator(`li[data-event-id="${recorded?.id}"]`).innerText()).toContain('A porta da OTAN continua aberta');
    await page.screenshot({ path: join(SHOTS, 'stance-form-milestone.png') });
    await context.close();
  });
});

/** A cell of the demo's "now" matrix with a stance in force: its party, point, event and version. */
async function cellOf(code: string, partyIndex: number) {
  const matrix = (await api.json<MatrixView>('GET', `/negotiations/${slug}/matrix`)).body;
  const row = matrix.rows.find((r) => r.point.code === code);
  const stated = matrix.parties.filter((p) => row?.cells[p.id]?.stance);
  const party = stated[partyIndex];
  const cell = party ? row?.cells[party.id] : undefined;
  if (!row || !party || !cell?.stance) throw new Error(`no stance in force on ${code}`);
  return { party, point: row.point, event: cell.stance, version: cell.version };
}

async function history(pointId: string): Promise<StanceEvent[]> {
  return (await api.json<PointHistory>('GET', `/negotiations/${slug}/points/${pointId}/history`)).body.events;
}

/** Signed in, the point's drawer open (through the URL). */
async function drawerOf(pointId: string, code: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.goto(`${api.url}/?n=${slug}`);
  await page.getByRole('table').waitFor({ timeout: 15_000 });
  await signIn(page, ADMIN);
  await page.goto(`${api.url}/?n=${slug}&point=${pointId}`);
  await page.getByRole('dialog', { name: new RegExp(`^${code} · `) }).getByRole('heading', { name: 'Stances' }).waitFor({ timeout: 15_000 });
  return page;
}

const LABEL = { accept: 'Accept', conditional: 'Conditional', amend: 'Amend', unclear: 'Unclear', reject: 'Reject', red_line: 'Red line' } as const;

describe('correcting a stance end to end', () => {
  it('"Correct" in the point’s timeline opens the form with the event’s values; the correction replaces it in one step', async () => {
    const { party, point, event, version } = await cellOf('p08', 0);
    const page = await drawerOf(point.id, point.code);
    const day = event.effectiveAt.slice(0, 10);
    await page.getByRole('button', { name: `Correct ${party.name}: ${LABEL[event.position]}, effective ${day}` }).click();
    const dialog = page.getByRole('dialog', { name: `Correct: ${party.name} on ${point.code} ${point.title}` });
    await dialog.getByText(`Correcting: ${LABEL[event.position]}, effective ${day}`).waitFor();
    expect(await dialog.getByRole('radio', { name: LABEL[event.position] }).isChecked()).toBe(true);
    expect(await dialog.getByLabel('Effective date').inputValue()).toBe(day);
    if (event.source.id) expect(await dialog.getByLabel('Cited source').inputValue()).toBe(event.source.id);
    // The event's position has the focus: a digit changes it.
    const next = event.position === 'reject' ? 'amend' : 'reject';
    await page.keyboard.press(next === 'reject' ? '5' : '3');
    expect(await dialog.getByRole('radio', { name: LABEL[next] }).isChecked()).toBe(true);
    // Without a reason it is not sent.
    await dialog.getByRole('button', { name: 'Save correction' }).click();
    await dialog.getByText('must not be empty').waitFor();
    await dialog.getByLabel('Reason for the correction (required)').fill('Misread the statement: it was a rejection');
    await page.screenshot({ path: join(SHOTS, 'stance-form-correct.png') });
    await dialog.getByLabel('Reason for the correction (required)').press('Control+Enter');
    await dialog.waitFor({ state: 'detached' });

    const events = await history(point.id);
    const old = events.find((e) => e.id === event.id);
    expect(old?.retraction?.reason).toBe('Misread the statement: it was a rejection');
    const fresh = events.find((e) => e.partyId === party.id && e.seq === old?.retraction?.seq && e.id !== event.id);
    expect(fresh).toMatchObject({ position: next, effectiveAt: event.effectiveAt, retraction: null, source: { id: event.source.id } });
    const matrix = (await api.json<MatrixView>('GET', `/negotiations/${slug}/matrix`)).body;
    expect(matrix.rows.find((r) => r.point.id === point.id)?.cells[party.id]).toMatchObject({ version: version + 2, stance: { id: fresh?.id } });
    // The drawer shows the old event struck through with the reason, the new one standing.
    const timeline = page.getByRole('region', { name: party.name });
    await timeline.locator(`li[data-event-id="${fresh?.id}"]`).waitFor();
    await timeline.locator(`li.event--retracted[data-event-id="${event.id}"]`).getByText('Misread the statement: it was a rejection').waitFor();
    await page.close();
  });

  it('a change to the cell while the correction is open is a 409 shown beside it; "Keep mine" corrects against their version', async () => {
    const { party, point, event, version } = await cellOf('p09', 0);
    const page = await drawerOf(point.id, point.code);
    const day = event.effectiveAt.slice(0, 10);
    await page.getByRole('button', { name: `Correct ${party.name}: ${LABEL[event.position]}, effective ${day}` }).click();
    const dialog = page.getByRole('dialog', { name: `Correct: ${party.name} on ${point.code} ${point.title}` });
    await dialog.getByLabel('Reason for the correction (required)').fill('Wrong confidence');
    await dialog.getByLabel('Confidence').selectOption('leaked');

    // Meanwhile a colleague records a newer stance on the cell.
    const token = await api.login(ADMIN.email, ADMIN.password);
    const theirs = await api.json<{ cell: { version: number } }>(
      'POST',
      `/negotiations/${slug}/stances`,
      { partyId: party.id, pointId: point.id, position: 'unclear', confidence: 'official', effectiveAt: '2025-12-30', source: { outlet: 'Reuters' }, expectedVersion: version },
      token,
    );
    expect(theirs.status).toBe(201);

    await dialog.getByRole('button', { name: 'Save correction' }).click();
    const conflict = dialog.getByRole('alert');
    await conflict.getByText('Someone else changed this cell').waitFor();
    expect(await conflict.getByRole('region', { name: 'Theirs (saved)' }).innerText()).toContain('Unclear (official)');
    expect(await conflict.getByRole('region', { name: 'Yours (not saved)' }).innerText()).toContain(`${LABEL[event.position]} (leaked)`);
    await page.screenshot({ path: join(SHOTS, 'stance-form-correct-conflict.png') });
    await conflict.getByRole('button', { name: 'Keep mine' }).click();
    await dialog.waitFor({ state: 'detached' });

    const events = await history(point.id);
    const old = events.find((e) => e.id === event.id);
    expect(old?.retraction?.reason).toBe('Wrong confidence');
    expect(events.find((e) => e.partyId === party.id && e.seq === old?.retraction?.seq && e.id !== event.id)).toMatchObject({ position: event.position, confidence: 'leaked' });
    const cell = (await api.json<MatrixView>('GET', `/negotiations/${slug}/matrix`)).body.rows.find((r) => r.point.id === point.id)?.cells[party.id];
    // Their later stance stays in force; the cell counts their event and the correction's two steps.
    expect(cell).toMatchObject({ version: theirs.body.cell.version + 2, stance: { position: 'unclear' } });
    await page.close();
  });
});
