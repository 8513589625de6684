import type { ChangeEntry, Source, SourceDetail, SourceStancesPage } from '@parley/contracts';
import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { fingerprint, seed, stance, startApp, type Seeded, type TestApp } from './harness';
import { until, watch, type Viewer } from './live-harness';

const LIMIT = 16 * 1024;
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A one-page PDF drawn with pdfkit (the standard Helvetica: Latin text only). */
function pdfOf(lines: string[]): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size: 'A5' });
    const parts: Buffer[] = [];
    doc.on('data', (b: Buffer) => parts.push(b));
    doc.on('end', () => resolve(Buffer.concat(parts)));
    for (const line of lines) doc.text(line);
    doc.end();
  });
}

describe('archived copies of sources', () => {
  let t: TestApp;
  let s: Seeded;
  let base: string;
  let viewer: Viewer | null = null;

  /** Sends a raw body (not JSON) with a content type. */
  const put = async (path: string, body: Buffer | string, contentType: string | null, token: string | null = t.adminToken) => {
    const res = await fetch(t.url + path, {
      method: 'PUT',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(contentType ? { 'content-type': contentType } : {}) },
      body,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  const download = async (path: string, token: string | null = t.adminToken) => {
    const res = await fetch(t.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const newSource = async (title: string) => (await t.post(`${base}/sources`, { outlet: 'BBC News Brasil', title })).body as Source;

  beforeAll(async () => {
    t = await startApp({ ARCHIVE_LIMIT_BYTES: String(LIMIT), VIEW_ACCESS: 'private' });
    s = await seed(t);
    base = `/api/negotiations/${s.negotiationId}`;
  });
  afterEach(async () => {
    await viewer?.client.close();
    viewer = null;
  });
  afterAll(() => t.close());

  it('stores pasted text with its SHA-256, size, type, time and author, and serves it as inert text and as a download', async () => {
    const src = await newSource('Plain');
    expect(src.archive).toBeNull();
    const text = 'Заява: «Запоріжжя» — 28 points.\n<script>alert(1)</script>\n';
    const before = Date.now();
    const res = await put(`${base}/sources/${src.id}/archive`, text, 'text/plain; charset=utf-8');
    expect(res.status).toBe(200);
    const bytes = Buffer.from(text, 'utf8');
    expect(res.body).toMatchObject({ id: src.id, version: 2, archive: { sha256: sha(bytes), size: bytes.length, contentType: 'text/plain', archivedBy: 'admin@test.local', textLength: text.length } });
    expect(Date.parse(res.body.archive.archivedAt)).toBeGreaterThanOrEqual(before - 1);
    expect(((await t.get(`${base}/sources/${src.id}`)).body as SourceDetail).archive).toEqual(res.body.archive);
    expect(((await t.get(`${base}/sources`)).body as Source[]).find((x) => x.id === src.id)?.archive).toEqual(res.body.archive);

    const shown = await download(`${base}/sources/${src.id}/archive`);
    expect(shown.status).toBe(200);
    expect(shown.bytes.toString('utf8')).toBe(text);
    expect(shown.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(shown.headers.get('x-content-type-options')).toBe('nosniff');
    expect(shown.headers.get('content-security-policy')).toMatch(/^sandbox/);
    expect(shown.headers.get('content-disposition')).toMatch(/^inline/);

    const original = await download(`${base}/sources/${src.id}/archive/original`);
    expect(original.status).toBe(200);
    expect(sha(original.bytes)).toBe(sha(bytes));
    expect(original.headers.get('content-disposition')).toMatch(/^attachment; filename="source-.*\.txt"$/);
    expect(original.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('extracts the text of an HTML page (no script, style or markup) and never serves it as HTML', async () => {
    const src = await newSource('Html');
    const html = `<!doctype html><html><head><title>Plano de paz</title><style>p{color:red}</style><script>document.write('x')</script></head>
      <body><h1>Os 28 pontos</h1><p>Zelensky disse &laquo;n&atilde;o&raquo; &amp; mais.</p><!-- a comment --><ul><li>Um</li><li>Dois</li></ul><img src=x onerror=alert(1)></body></html>`;
    const res = await put(`${base}/sources/${src.id}/archive`, html, 'text/html');
    expect(res.status).toBe(200);
    expect(res.body.archive).toMatchObject({ contentType: 'text/html', sha256: sha(html), size: Buffer.byteLength(html) });
    const shown = await download(`${base}/sources/${src.id}/archive`);
    expect(shown.bytes.toString('utf8')).toBe('Plano de paz\nOs 28 pontos\nZelensky disse «não» & mais.\nUm\nDois');
    expect(shown.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const original = await download(`${base}/sources/${src.id}/archive/original`);
    expect(original.bytes.toString('utf8')).toBe(html);
    expect(original.headers.get('content-type')).toBe('application/octet-stream');
    expect(original.headers.get('content-disposition')).toMatch(/^attachment; filename="source-.*\.html"$/);
  });

  it("extracts a PDF's text (read by pdf.js in a child process)", async () => {
    const src = await newSource('Pdf');
    const pdf = await pdfOf(['Witkoff and Kushner met Putin in Moscow.', 'Second line of the copy.']);
    expect(pdf.length).toBeLessThan(LIMIT);
    const res = await put(`${base}/sources/${src.id}/archive`, pdf, 'application/pdf');
    expect(res.status).toBe(200);
    expect(res.body.archive).toMatchObject({ contentType: 'application/pdf', sha256: sha(pdf), size: pdf.length });
    const shown = (await download(`${base}/sources/${src.id}/archive`)).bytes.toString('utf8');
    expect(shown).toContain('Witkoff and Kushner met Putin in Moscow.');
    expect(shown).toContain('Second line of the copy.');
    const original = await download(`${base}/sources/${src.id}/archive/original`);
    expect(original.headers.get('content-type')).toBe('application/pdf');
    expect(sha(original.bytes)).toBe(sha(pdf));
  });

  it('refuses, changing nothing: over the limit (413), other content types or charsets (415), empty bodies and unreadable PDF or HTML (400), unknown sources (404)', async () => {
    const src = await newSource('Refusals');
    const path = `${base}/sources/${src.id}/archive`;
    const before = await fingerprint(t.db);
    const tooLarge = await put(path, 'x'.repeat(LIMIT + 1), 'text/plain');
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.message).toContain('ARCHIVE_LIMIT_BYTES');
    expect((await put(path, Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'image/png')).status).toBe(415);
    expect((await put(path, '{"text":"x"}', 'application/json')).body).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect((await put(path, 'caf\xe9', 'text/plain; charset=iso-8859-1')).status).toBe(415);
    expect((await put(path, Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'text/plain')).body).toMatchObject({ statusCode: 400, details: [{ field: 'body' }] });
    expect((await put(path, Buffer.from([0xff, 0xfe, 0x00]), 'text/html')).status).toBe(400);
    expect((await put(path, 'not a pdf at all', 'application/pdf')).body).toMatchObject({ statusCode: 400, details: [{ field: 'body' }] });
    expect((await put(path, '%PDF-1.7\n1 0 obj broken', 'application/pdf')).status).toBe(400);
    expect((await put(path, '', 'text/plain')).status).toBe(400);
    expect((await put(`${base}/sources/00000000-0000-7000-8000-000000000000/archive`, 'x', 'text/plain')).status).toBe(404);
    // text/plain anywhere else is still refused
    expect((await t.request('POST', `${base}/sources`, 'x', { 'content-type': 'text/plain' })).status).toBe(415);
    expect(await fingerprint(t.db)).toEqual(before);
    expect((await t.get(`${base}/sources/${src.id}`)).body).toMatchObject({ version: 1, archive: null });
    expect((await download(`${path}`)).status).toBe(404);
    expect((await download(`${path}/original`)).status).toBe(404);
  });

  it('a new copy replaces the one shown and keeps the earlier (a row per copy); audited and live as source.updated', async () => {
    const src = await newSource('Twice');
    const head = (await t.get(base)).body.seq as number;
    viewer = watch(t, s.slug, head, t.adminToken);
    await until('live', () => viewer?.client.state === 'live');
    const first = await put(`${base}/sources/${src.id}/archive`, 'first copy', 'text/plain');
    const second = await put(`${base}/sources/${src.id}/archive`, 'second copy', 'text/plain');
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body).toMatchObject({ version: 3, archive: { sha256: sha('second copy') } });
    expect((await download(`${base}/sources/${src.id}/archive`)).bytes.toString('utf8')).toBe('second copy');
    const rows: { n: number | string }[] = await t.db.read.query(`SELECT COUNT(*) AS n FROM source_archives WHERE source_id = '${src.id}'`);
    expect(Number(rows[0].n)).toBe(2);

    await until('two changes', () => (viewer?.changes.length ?? 0) >= 2);
    const got = viewer?.changes as ChangeEntry[];
    expect(got.map((c) => [c.kind, c.seq])).toEqual([['source.updated', head + 1], ['source.updated', head + 2]]);
    expect(got[1].data).toEqual(second.body);
    const audit = (await t.get(`/api/audit?negotiationId=${s.negotiationId}&limit=1000`)).body.items as { action: string; entityId: string; before: any; after: any }[];
    const mine = audit.filter((a) => a.entityId === src.id && a.action === 'source.updated');
    expect(mine).toHaveLength(2);
    expect(mine.find((a) => a.after.version === 3)).toMatchObject({ before: { archive: { sha256: sha('first copy') } }, after: { archive: { sha256: sha('second copy') } } });
    // A later correction of the source keeps its archive.
    expect((await t.patch(`${base}/sources/${src.id}`, { title: 'Twice, corrected' })).body).toMatchObject({ version: 4, archive: { sha256: sha('second copy') } });
  });

  it('roles: a viewer reads but cannot attach; a share link reads the copies of its own negotiation only', async () => {
    const src = await newSource('Roles');
    expect((await put(`${base}/sources/${src.id}/archive`, 'the copy', 'text/plain')).status).toBe(200);
    const viewerUser = await t.user('viewer');
    expect((await put(`${base}/sources/${src.id}/archive`, 'viewer copy', 'text/plain', viewerUser.token)).status).toBe(403);
    expect((await download(`${base}/sources/${src.id}/archive`, viewerUser.token)).bytes.toString('utf8')).toBe('the copy');
    expect((await download(`${base}/sources/${src.id}/archive`, null)).status).toBe(401);
    const analyst = await t.user('analyst');
    expect((await put(`${base}/sources/${src.id}/archive`, 'analyst copy', 'text/plain', analyst.token)).body.archive).toMatchObject({ archivedBy: analyst.email });

    const link = (await t.post(`${base}/share-links`, { label: 'archives' })).body.token as string;
    expect((await download(`${base}/sources/${src.id}/archive`, link)).bytes.toString('utf8')).toBe('analyst copy');
    expect((await download(`${base}/sources/${src.id}/archive/original`, link)).status).toBe(200);
    expect((await put(`${base}/sources/${src.id}/archive`, 'link copy', 'text/plain', link)).status).toBe(403);
    const other = await seed(t, 'Another negotiation');
    const otherSource = ((await t.get(`/api/negotiations/${other.negotiationId}/sources`)).body as Source[])[0];
    expect((await put(`/api/negotiations/${other.negotiationId}/sources/${otherSource.id}/archive`, 'other', 'text/plain')).status).toBe(200);
    expect((await download(`/api/negotiations/${other.negotiationId}/sources/${otherSource.id}/archive`, link)).status).toBe(403);
    // A source id under the wrong negotiation is not found.
    expect((await download(`${base}/sources/${otherSource.id}/archive`)).status).toBe(404);
  });

  it('the per-source view lists every stance event citing it, newest first, retractions shown, paged', async () => {
    const src = await newSource('Cited');
    const ids: string[] = [];
    for (const [i, party] of s.parties.entries()) {
      const res = await t.post(`${base}/stances`, stance(party.id, s.points[3].id, { source: { id: src.id }, note: `n${i}` }));
      expect(res.status).toBe(201);
      ids.push(res.body.event.id);
    }
    await t.post(`${base}/stances`, stance(s.parties[0].id, s.points[2].id, { source: { outlet: 'Elsewhere', title: 'Not this one' } }));
    expect((await t.post(`/api/stance-events/${ids[0]}/retract`, { reason: 'misread' })).status).toBe(201);

    const all = (await t.get(`${base}/sources/${src.id}/stances`)).body as SourceStancesPage;
    expect(all.items.map((e) => e.id)).toEqual([...ids].reverse());
    expect(all.items.every((e) => e.source.id === src.id)).toBe(true);
    expect(all.items[2].retraction).toMatchObject({ reason: 'misread' });
    expect(all.nextBeforeSeq).toBeNull();
    const page1 = (await t.get(`${base}/sources/${src.id}/stances?limit=2`)).body as SourceStancesPage;
    expect(page1.items.map((e) => e.id)).toEqual([ids[2], ids[1]]);
    const page2 = (await t.get(`${base}/sources/${src.id}/stances?limit=2&beforeSeq=${page1.nextBeforeSeq}`)).body as SourceStancesPage;
    expect(page2).toMatchObject({ items: [{ id: ids[0] }], nextBeforeSeq: null });
    expect((await t.get(`${base}/sources/${src.id}/stances?limit=0`)).body).toMatchObject({ statusCode: 400, details: [{ field: 'query.limit' }] });
    expect((await t.get(`${base}/sources/00000000-0000-7000-8000-000000000000/stances`)).status).toBe(404);
  });
});
