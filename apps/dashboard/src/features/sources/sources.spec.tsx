import type { Source, SourceStancesPage } from '@parley/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { setReadCredential } from '../../shared/credentials';
import { stance } from '../../testing/fixtures';
import { AuthProvider } from '../auth/AuthProvider';
import { ArchiveStatus } from './ArchiveStatus';
import { contentTypeOf } from './AttachArchive';
import { SourcePanel } from './SourcePanel';

const session = {
  token: 'tok-7',
  expiresAt: '2999-01-01T00:00:00.000Z',
  user: { id: 'u1', email: 'ana@example.org', name: 'Ana', role: 'analyst' as const },
};

const source = (archive: Source['archive']): Source => ({
  id: 's1',
  negotiationId: 'n1',
  kind: 'news_report',
  outlet: 'BBC News Brasil',
  title: 'NATO discusses the next steps',
  url: null,
  publishedAt: '2025-12-03T00:00:00.000Z',
  language: 'en',
  description: null,
  version: 2,
  createdAt: '2025-12-03T10:00:00.000Z',
  updatedAt: '2025-12-03T10:00:00.000Z',
  archive,
});
const ARCHIVE = { sha256: 'a'.repeat(64), size: 4321, contentType: 'text/plain' as const, archivedAt: '2025-12-04T09:00:00.000Z', archivedBy: 'ana@example.org', textLength: 4300 };

function answers(...bodies: { status: number; body: unknown }[]) {
  const queue = [...bodies];
  const mock = jest.fn((_url: string, _init?: RequestInit) => {
    const next = queue.shift();
    if (!next) throw new Error('unexpected request');
    const text = typeof next.body === 'string' ? next.body : JSON.stringify(next.body);
    return Promise.resolve({ ok: next.status < 300, status: next.status, statusText: '', text: () => Promise.resolve(text) });
  });
  globalThis.fetch = mock as unknown as typeof fetch;
  return mock;
}

const withProviders = (ui: React.ReactNode, role: 'analyst' | 'viewer' = 'analyst') => (
  <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
    <AuthProvider initial={{ ...session, user: { ...session.user, role } }}>{ui}</AuthProvider>
  </QueryClientProvider>
);

describe('ArchiveStatus', () => {
  afterEach(() => setReadCredential(null));

  it('says "no archived copy" for a source without one', () => {
    render(<ArchiveStatus slug="demo" source={source(null)} />);
    expect(screen.getByText('no archived copy')).toBeTruthy();
    expect(screen.queryByRole('link')).toBeNull();
  });

  it('shows "archived" with a link that opens the stored copy as plain text in a new tab, read with the credential (a share link too)', async () => {
    setReadCredential('pls_shared');
    const mock = answers({ status: 200, body: '<script>alert(1)</script> the article' });
    const tab = { location: { href: '' }, close: jest.fn() };
    const open = jest.spyOn(window, 'open').mockReturnValue(tab as unknown as Window);
    const blobs: Blob[] = [];
    URL.createObjectURL = jest.fn((b: Blob) => {
      blobs.push(b);
      return 'blob:copy-1';
    });
    URL.revokeObjectURL = jest.fn();
    render(<ArchiveStatus slug="demo" source={source(ARCHIVE)} />);
    expect(screen.getByText('archived')).toBeTruthy();
    const link = screen.getByRole('link', { name: 'Open stored copy' });
    expect(link.getAttribute('href')).toBe('/api/negotiations/demo/sources/s1/archive');
    expect(link.getAttribute('target')).toBe('_blank');
    fireEvent.click(link);
    expect(open).toHaveBeenCalledWith('', '_blank');
    await waitFor(() => expect(tab.location.href).toBe('blob:copy-1'));
    const [url, init] = mock.mock.calls[0]!;
    expect(url).toBe('/api/negotiations/demo/sources/s1/archive');
    expect((init?.headers as Record<string, string>)['authorization']).toBe('Bearer pls_shared');
    expect(blobs[0]!.type).toBe('text/plain;charset=utf-8');
    open.mockRestore();
  });

  it('closes the tab and says why when the copy cannot be read', async () => {
    answers({ status: 404, body: { statusCode: 404, error: 'Not Found', code: 'NOT_FOUND', message: 'Archived copy of source was not found' } });
    const tab = { location: { href: '' }, close: jest.fn() };
    const open = jest.spyOn(window, 'open').mockReturnValue(tab as unknown as Window);
    render(<ArchiveStatus slug="demo" source={source(ARCHIVE)} />);
    fireEvent.click(screen.getByRole('link', { name: 'Open stored copy' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Archived copy of source was not found');
    expect(tab.close).toHaveBeenCalled();
    open.mockRestore();
  });
});

describe('SourcePanel', () => {
  const page: SourceStancesPage = {
    sourceId: 's1',
    nextBeforeSeq: null,
    items: [
      stance('reject', { id: 'e2', partyId: 'ru', pointId: 'p1', effectiveAt: '2025-12-02T00:00:00.000Z', quote: 'Неприемлемо', quoteLanguage: 'ru' }),
      stance('accept', { id: 'e1', partyId: 'ua', pointId: 'p2', effectiveAt: '2025-12-01T00:00:00.000Z', retraction: { id: 'r1', seq: 9, reason: 'Misread', recordedAt: '2025-12-03T00:00:00.000Z', recordedBy: 'ana' } }),
    ],
  };
  const names = new Map([['ru', 'Russia'], ['ua', 'Ukraine']]);
  const codes = new Map([['p1', 'P1'], ['p2', 'P2']]);

  it('lists every stance citing the source, newest first, retractions with their reason; a viewer gets no attach form', async () => {
    answers({ status: 200, body: page });
    render(withProviders(<SourcePanel slug="demo" source={source(ARCHIVE)} partyNames={names} pointCodes={codes} onClose={jest.fn()} />, 'viewer'));
    const dialog = screen.getByRole('dialog', { name: 'Source: BBC News Brasil — NATO discusses the next steps' });
    const items = await within(dialog).findAllByRole('listitem');
    expect(items.map((i) => i.getAttribute('data-event-id'))).toEqual(['e2', 'e1']);
    expect(items[0]!.textContent).toContain('Russia on P1');
    expect(items[1]!.textContent).toContain('Retracted on 2025-12-03: Misread');
    expect(dialog.textContent).toContain('archived');
    expect(within(dialog).queryByRole('button', { name: 'Archive' })).toBeNull();
    expect(within(dialog).queryByRole('button', { name: 'Correct this source' })).toBeNull();
  });

  it('an analyst pastes the text of a source: sent as text/plain with the token, and the answer says what was stored', async () => {
    const mock = answers({ status: 200, body: page }, { status: 200, body: source({ ...ARCHIVE, size: 11, textLength: 11 }) });
    render(withProviders(<SourcePanel slug="demo" source={source(null)} partyNames={names} pointCodes={codes} onClose={jest.fn()} />));
    await screen.findAllByRole('listitem');
    fireEvent.click(screen.getByRole('button', { name: 'Archive' }));
    expect(screen.getByRole('alert').textContent).toBe('Paste the text of the source first.');
    fireEvent.change(screen.getByLabelText('Text of the source'), { target: { value: 'The article' } });
    fireEvent.click(screen.getByRole('button', { name: 'Archive' }));
    await screen.findByText('Archived: 11 bytes, 11 characters of text.');
    const [url, init] = mock.mock.calls[1]!;
    expect(url).toBe('/api/negotiations/demo/sources/s1/archive');
    expect(init?.method).toBe('PUT');
    expect((init?.headers as Record<string, string>)['content-type']).toBe('text/plain; charset=utf-8');
    expect((init?.headers as Record<string, string>)['authorization']).toBe('Bearer tok-7');
    expect(init?.body).toBe('The article');
    // An analyst corrects the source from its panel too.
    fireEvent.click(screen.getByRole('button', { name: 'Correct this source' }));
    expect((within(screen.getByRole('dialog', { name: 'Edit source: BBC News Brasil — NATO discusses the next steps' })).getByLabelText('Publication date') as HTMLInputElement).value).toBe('2025-12-03');
  });

  it("shows the API's refusal of a file (too large)", async () => {
    answers(
      { status: 200, body: page },
      { status: 413, body: { statusCode: 413, error: 'Payload Too Large', code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than the limit of 5242880 bytes (ARCHIVE_LIMIT_BYTES); nothing was changed' } },
    );
    render(withProviders(<SourcePanel slug="demo" source={source(null)} partyNames={names} pointCodes={codes} onClose={jest.fn()} />));
    await screen.findAllByRole('listitem');
    fireEvent.click(screen.getByRole('radio', { name: /Choose a file/ }));
    fireEvent.change(screen.getByLabelText('File'), { target: { files: [new File(['%PDF-1.7'], 'report.pdf', { type: 'application/pdf' })] } });
    fireEvent.click(screen.getByRole('button', { name: 'Archive' }));
    expect((await screen.findByRole('alert')).textContent).toContain('ARCHIVE_LIMIT_BYTES');
  });

  it('sends a chosen file as its type, by extension when the browser gives none', () => {
    expect(contentTypeOf({ name: 'a.PDF', type: '' })).toBe('application/pdf');
    expect(contentTypeOf({ name: 'page.htm', type: '' })).toBe('text/html');
    expect(contentTypeOf({ name: 'notes.txt', type: 'text/plain' })).toBe('text/plain; charset=utf-8');
    expect(contentTypeOf({ name: 'photo.png', type: 'image/png' })).toBeNull();
  });
});
