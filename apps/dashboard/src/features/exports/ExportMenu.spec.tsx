import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { parseParams } from '../../shared/url-state';
import { AuthProvider } from '../auth/AuthProvider';
import { EXPORT_CHOICES, exportPath, fileNameOf } from './export-links';
import { ExportMenu } from './ExportMenu';

const session = {
  token: 'tok-9',
  expiresAt: '2999-01-01T00:00:00.000Z',
  user: { id: 'u1', email: 'ana@example.org', name: 'Ana', role: 'viewer' as const },
};

function choice(id: string) {
  const c = EXPORT_CHOICES.find((x) => x.id === id);
  if (!c) throw new Error(id);
  return c;
}

describe('export links', () => {
  it('carry the date, audit bound, filters and document of the view', () => {
    const params = parseParams('?n=demo&asOf=2025-12-01&knownAt=2025-12-05&cat=territory&status=blocked&parties=UA,RU&q=donbas%20zone&doc=d1');
    const url = new URL(exportPath('demo', choice('pdf'), params, '2025-11-24'), 'http://x');
    expect(url.pathname).toBe('/negotiations/demo/export.pdf');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      asOf: '2025-12-01',
      knownAt: '2025-12-05',
      since: '2025-11-24',
      documentId: 'd1',
      category: 'territory',
      status: 'blocked',
      parties: 'UA,RU',
      q: 'donbas zone',
    });
  });

  it('ask for the change log as CSV, the dump without filters, and every party when none is shown', () => {
    const params = parseParams('?n=demo&asOf=2025-12-01&parties=-');
    expect(exportPath('demo', choice('csv-changes'), params, null)).toBe('/negotiations/demo/export.csv?asOf=2025-12-01&table=changes');
    expect(exportPath('demo', choice('json'), params, '2025-11-01')).toBe('/negotiations/demo/export.json');
  });

  it('take the file name the server proposes', () => {
    expect(fileNameOf('attachment; filename="demo-2025-12-01.pdf"', 'x.pdf')).toBe('demo-2025-12-01.pdf');
    expect(fileNameOf(null, 'x.pdf')).toBe('x.pdf');
  });
});

describe('ExportMenu', () => {
  const created: string[] = [];
  const saved: string[] = [];
  beforeAll(() => {
    // jsdom cannot navigate: record the file the browser would save instead.
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    URL.createObjectURL = (() => {
      created.push('blob');
      return 'blob:1';
    }) as typeof URL.createObjectURL;
    URL.revokeObjectURL = () => undefined;
  });

  function renderMenu(search = '?n=demo&asOf=2025-12-10') {
    render(
      <AuthProvider initial={session}>
        <ExportMenu slug="demo" params={parseParams(search)} />
      </AuthProvider>,
    );
  }

  it('downloads with the viewer’s token, defaults the changes window to the week before the date, and says what it got', async () => {
    const fetchMock = jest.fn((_url: string, _init?: RequestInit) =>
      Promise.resolve({
        ok: true,
        status: 200,
        statusText: 'OK',
        headers: new Headers({ 'content-disposition': 'attachment; filename="demo-2025-12-10.pdf"', 'content-type': 'application/pdf' }),
        body: null,
        arrayBuffer: () => Promise.resolve(new Uint8Array(2048).buffer),
      }),
    );
    globalThis.fetch = fetchMock as unknown as typeof fetch;
    renderMenu();
    expect((screen.getByLabelText('Changes effective from') as HTMLInputElement).value).toBe('2025-12-03');
    expect(screen.getByTestId('changes-window').textContent).toBe('to 2025-12-10');
    fireEvent.click(screen.getByRole('button', { name: 'PDF briefing' }));
    await screen.findByText('Downloaded demo-2025-12-10.pdf (2 KB)');
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/negotiations/demo/export.pdf?asOf=2025-12-10&since=2025-12-03');
    expect((init?.headers as Record<string, string>)['authorization']).toBe('Bearer tok-9');
    expect(created.length).toBeGreaterThan(0);
    expect(saved).toEqual(['demo-2025-12-10.pdf']);
  });

  it('shows the API’s error message when an export is refused', async () => {
    globalThis.fetch = jest.fn(() =>
      Promise.resolve({
        ok: false,
        status: 400,
        statusText: 'Bad Request',
        headers: new Headers(),
        text: () => Promise.resolve(JSON.stringify({ statusCode: 400, code: 'VALIDATION_FAILED', message: "query.parties: no party with code 'XX'" })),
      }),
    ) as unknown as typeof fetch;
    renderMenu('?n=demo&parties=XX');
    fireEvent.click(screen.getByRole('button', { name: 'CSV: matrix' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe("CSV: matrix failed: query.parties: no party with code 'XX'"));
  });
});
