import type { MatrixView } from '@parley/contracts';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ADMIN, ApiProcess, freePort, launchChromium } from './server';

/** The dashboard of a private installation (VIEW_ACCESS=private): sign-in screen, share links, password change. */

const ANALYST = { email: 'analyst@example.org', name: 'Ana Lyst', password: 'analyst-password-1' };
const CHANGER = { email: 'changer@example.org', name: 'Chang Er', password: 'changer-password-1' };

let api: ApiProcess;
let browser: Browser;
let adminToken: string;
let slug: string;
let title: string;
let matrix: MatrixView;
const contexts: BrowserContext[] = [];

async function newPage(path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${api.url}${path}`);
  return page;
}

function cell(page: Page, pointCode: string, partyCode: string) {
  const row = matrix.rows.find((r) => r.point.code === pointCode);
  const party = matrix.parties.find((p) => p.code === partyCode);
  if (!row || !party) throw new Error(`no cell ${pointCode}/${partyCode}`);
  return page.locator(`td[data-point="${row.point.id}"][data-party="${party.id}"]`);
}

/** The sign-in screen a private installation shows before anything else. */
function signInScreen(page: Page) {
  return page.getByRole('region', { name: 'Sign in to Parley' });
}

async function signInOnScreen(page: Page, who: { email: string; password: string }): Promise<void> {
  const screen = signInScreen(page);
  await screen.getByLabel('Email').fill(who.email);
  await screen.getByLabel('Password').fill(who.password);
  await screen.getByRole('button', { name: 'Sign in' }).click();
}

async function shareLink(label: string): Promise<{ id: string; token: string }> {
  const res = await api.json<{ id: string; token: string }>('POST', `/negotiations/${slug}/share-links`, { label }, adminToken);
  if (res.status !== 201) throw new Error(`share link: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

beforeAll(async () => {
  api = new ApiProcess(await freePort(), { VIEW_ACCESS: 'private' });
  await api.start();
  adminToken = await api.login(ADMIN.email, ADMIN.password);
  for (const user of [ANALYST, CHANGER]) {
    const res = await api.json('POST', '/users', { ...user, role: 'analyst' }, adminToken);
    if (res.status !== 201) throw new Error(`create ${user.email}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  // The API itself is closed to anonymous readers in this mode.
  const anonymous = await api.json('GET', '/negotiations');
  if (anonymous.status !== 401) throw new Error(`expected a private installation, got ${anonymous.status}`);
  const list = await api.json<{ slug: string; title: string }[]>('GET', '/negotiations', undefined, adminToken);
  slug = list.body[0]?.slug ?? '';
  title = list.body[0]?.title ?? '';
  if (!slug) throw new Error('no demo negotiation');
  matrix = (await api.json<MatrixView>('GET', `/negotiations/${slug}/matrix`, undefined, adminToken)).body;
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await api?.stop();
  api?.cleanup();
});

describe('a private dashboard (VIEW_ACCESS=private)', () => {
  it('shows an anonymous visitor a sign-in screen, and the matrix once signed in', async () => {
    const page = await newPage('/');
    await signInScreen(page).getByText('This Parley is private').waitFor();
    // A sign-in page, not an error, and nothing of the negotiation.
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.getByRole('table').count()).toBe(0);

    await signInOnScreen(page, { email: ANALYST.email, password: 'not-the-password' });
    await signInScreen(page).getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor();

    await signInOnScreen(page, ANALYST);
    await page.getByRole('table').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await cell(page, 'p06', 'UA').getAttribute('data-position')).toBe('accept');
    // Signed in, the live connection is accepted too.
    await page.locator('.connection[data-state="live"]').waitFor();

    // An analyst cannot import a whole dump (it creates a negotiation): said before anything is sent.
    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import' });
    await dialog.getByLabel('File').setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from('{}') });
    await dialog.getByRole('alert').filter({ hasText: 'only an admin can do' }).waitFor();
    expect(await dialog.getByRole('button', { name: 'Check file' }).isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // Signing out forgets what was read: back to the sign-in screen.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInScreen(page).waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
  });

  it('opens one negotiation read-only from a share link, with live updates', async () => {
    const link = await shareLink('situation room');
    const page = await newPage(`/?share=${link.token}`);
    await page.getByRole('table').waitFor();
    // The token leaves the address bar (not copied along with a view's link), but the tab keeps it.
    expect(new URL(page.url()).searchParams.has('share')).toBe(false);
    await page.getByText('Shared view · read only').waitFor();
    await page.getByRole('heading', { name: title }).waitFor();
    expect(await page.getByLabel('Negotiation', { exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
    expect(await page.getByRole('group', { name: 'Edit' }).count()).toBe(0);

    await page.locator('.connection[data-state="live"]').waitFor();
    const target = cell(page, 'p01', 'NATO');
    expect(await target.getAttribute('data-position')).not.toBe('red_line');
    const row = matrix.rows.find((r) => r.point.code === 'p01');
    const party = matrix.parties.find((p) => p.code === 'NATO');
    const recorded = await api.json(
      'POST',
      `/negotiations/${slug}/stances`,
      { partyId: party?.id, pointId: row?.point.id, position: 'red_line', confidence: 'official', effectiveAt: new Date().toISOString().slice(0, 10), source: { outlet: 'NATO' } },
      adminToken,
    );
    expect(recorded.status).toBe(201);
    await target.and(page.locator('[data-position="red_line"]')).waitFor();

    // A reload (or a wall screen's restart) keeps the link for this tab.
    await page.reload();
    await page.getByRole('table').waitFor();
    await page.getByText('Shared view · read only').waitFor();
  });

  it('says clearly that a revoked share link no longer works', async () => {
    const link = await shareLink('revoked embed');
    const revoked = await api.json('DELETE', `/negotiations/${slug}/share-links/${link.id}`, undefined, adminToken);
    expect(revoked.status).toBe(200);
    const page = await newPage(`/?share=${link.token}`);
    await signInScreen(page).getByRole('alert').filter({ hasText: 'This share link no longer works: it was revoked or has expired.' }).waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
  });

  it('lets a signed-in user change their password from the account menu', async () => {
    const page = await newPage('/');
    await signInOnScreen(page, CHANGER);
    await page.getByRole('table').waitFor();
    await page.locator('details.account-menu > summary', { hasText: `${CHANGER.name} (analyst)` }).click();
    await page.getByRole('button', { name: 'Change password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change password' });
    await dialog.getByLabel('Current password').fill('not-my-password');
    await dialog.getByLabel('New password', { exact: true }).fill('changed-password-2');
    await dialog.getByLabel('Repeat the new password').fill('changed-password-2');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'The current password is wrong' }).waitFor();

    await dialog.getByLabel('Current password').fill(CHANGER.password);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Your password was changed' }).waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();
    // This session stays signed in.
    await page.getByRole('table').waitFor();

    expect((await api.json('POST', '/auth/login', { email: CHANGER.email, password: CHANGER.password })).status).toBe(401);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInOnScreen(page, { email: CHANGER.email, password: 'changed-password-2' });
    await page.getByRole('table').waitFor();
  });
});
