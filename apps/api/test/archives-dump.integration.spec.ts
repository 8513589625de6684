import type { Source } from '@parley/contracts';
import PDFDocument from 'pdfkit';
import { fingerprint, seed, stance, startApp, type TestApp } from './harness';

function pdfOf(line: string): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size: 'A6' });
    const parts: Buffer[] = [];
    doc.on('data', (b: Buffer) => parts.push(b));
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.text(line);
    doc.end();
  });
}

describe('archived copies in dumps', () => {
  let source: TestApp;
  let target: TestApp;
  beforeAll(async () => {
    source = await startApp();
    target = await startApp();
  });
  afterAll(async () => {
    await source.close();
    await target.close();
  });

  const put = (t: TestApp, path: string, body: Buffer | string, contentType: string) =>
    fetch(t.url + path, { method: 'PUT', headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': contentType }, body });
  const bytesOf = async (t: TestApp, path: string) => Buffer.from(await (await fetch(t.url + path, { headers: { authorization: `Bearer ${t.adminToken}` } })).arrayBuffer());

  it('travel in the dump (every copy, bytes as base64): imported elsewhere they are served the same, and the dump exports to the same bytes', async () => {
    const s = await seed(source, 'Archives travel');
    const base = `/api/negotiations/${s.negotiationId}`;
    const cited = ((await source.get(`${base}/sources`)).body as Source[])[0];
    await source.post(`${base}/stances`, stance(s.parties[0].id, s.points[0].id));
    const pdfSource = (await source.post(`${base}/sources`, { outlet: 'Kyiv Post', title: 'A PDF' })).body as Source;
    expect((await put(source, `${base}/sources/${cited.id}/archive`, 'first copy, Київ', 'text/plain')).status).toBe(200);
    expect((await put(source, `${base}/sources/${cited.id}/archive`, '<p>second &amp; last</p>', 'text/html')).status).toBe(200);
    const pdf = await pdfOf('A copy in PDF');
    expect((await put(source, `${base}/sources/${pdfSource.id}/archive`, pdf, 'application/pdf')).status).toBe(200);

    const dumpText = await (await fetch(`${source.url}${base}/export.json`, { headers: { authorization: `Bearer ${source.adminToken}` } })).text();
    const dump = JSON.parse(dumpText);
    expect(dump.sourceArchives).toHaveLength(3);
    expect(dump.sourceArchives[2]).toMatchObject({ sourceId: pdfSource.id, contentType: 'application/pdf', size: pdf.length, original: pdf.toString('base64') });

    const imported = await target.post('/api/negotiations/import', dumpText);
    expect({ status: imported.status, errors: imported.body.errors }).toEqual({ status: 200, errors: [] });
    expect(imported.body.counts.sourceArchives).toEqual({ created: 3, updated: 0, unchanged: 0 });
    const again = await (await fetch(`${target.url}${base}/export.json`, { headers: { authorization: `Bearer ${target.adminToken}` } })).text();
    expect(again).toBe(dumpText);
    expect((await bytesOf(target, `${base}/sources/${cited.id}/archive`)).toString('utf8')).toBe('second & last');
    expect((await bytesOf(target, `${base}/sources/${pdfSource.id}/archive/original`)).equals(pdf)).toBe(true);
    expect(((await target.get(`${base}/sources/${cited.id}`)).body as Source).archive).toEqual(((await source.get(`${base}/sources/${cited.id}`)).body as Source).archive);
    const reimported = await target.post('/api/negotiations/import', dumpText);
    expect(reimported.body.unchanged).toBe(true);
  });

  it('a copy whose bytes do not match its SHA-256 or size, or whose source is not in the file, is refused with the field named; nothing is written', async () => {
    const s = await seed(source, 'Archives tampered');
    const base = `/api/negotiations/${s.negotiationId}`;
    const cited = ((await source.get(`${base}/sources`)).body as Source[])[0];
    expect((await put(source, `${base}/sources/${cited.id}/archive`, 'the copy', 'text/plain')).status).toBe(200);
    const dump = JSON.parse(await (await fetch(`${source.url}${base}/export.json`, { headers: { authorization: `Bearer ${source.adminToken}` } })).text());
    const before = await fingerprint(target.db);
    const tampered = { ...dump, sourceArchives: [{ ...dump.sourceArchives[0], original: Buffer.from('the cop!').toString('base64') }] };
    const refused = await target.post('/api/negotiations/import', JSON.stringify(tampered));
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('sourceArchives.0.sha256');
    const shorter = { ...dump, sourceArchives: [{ ...dump.sourceArchives[0], size: 3 }] };
    expect(JSON.stringify((await target.post('/api/negotiations/import', JSON.stringify(shorter))).body)).toContain('sourceArchives.0.size');
    const orphan = { ...dump, sourceArchives: [{ ...dump.sourceArchives[0], sourceId: '00000000-0000-7000-8000-000000000000' }] };
    expect(JSON.stringify((await target.post('/api/negotiations/import', JSON.stringify(orphan))).body)).toContain('sourceArchives.0.sourceId');
    expect(await fingerprint(target.db)).toEqual(before);
  });

  it('a dump written before archived copies (no sourceArchives) still imports', async () => {
    const s = await seed(source, 'Archives absent');
    const dump = JSON.parse(await (await fetch(`${source.url}/api/negotiations/${s.negotiationId}/export.json`, { headers: { authorization: `Bearer ${source.adminToken}` } })).text());
    expect(dump.sourceArchives).toEqual([]);
    delete dump.sourceArchives;
    const imported = await target.post('/api/negotiations/import', JSON.stringify(dump));
    expect({ status: imported.status, errors: imported.body.errors }).toEqual({ status: 200, errors: [] });
  });
});
