import type { SourceDetail } from '@parley/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { sourceRecord } from '../../testing/fixtures';
import { serve } from '../../testing/serve';
import { AuthProvider } from '../auth/AuthProvider';
import { ROWS_SHOWN, SourcesView, type SourceFilters } from './SourcesView';
import { sourcesKey } from './use-sources';

const ARCHIVE = { sha256: 'c'.repeat(64), size: 900, contentType: 'text/plain' as const, archivedAt: '2025-11-24T09:00:00.000Z', archivedBy: 'ana@example.org', textLength: 880 };
const bbc = sourceRecord({ id: 's-bbc', outlet: 'BBC News Brasil', title: 'O plano de paz de Trump', publishedAt: '2025-11-23T00:00:00.000Z', language: 'pt-BR', archive: ARCHIVE, citedBy: 12, version: 2 });
const tass = sourceRecord({ id: 's-tass', outlet: 'TASS', title: 'Заявление МИД России', publishedAt: '2025-11-21T00:00:00.000Z', language: 'ru', kind: 'official_statement', citedBy: 3 });
const tass2 = sourceRecord({ id: 's-tass2', outlet: 'TASS', title: 'Песков о переговорах', publishedAt: '2025-11-25T00:00:00.000Z', language: 'ru', kind: 'interview', citedBy: 1 });
const geneva = sourceRecord({ id: 's-geneva', kind: 'paraphrased_reporting', description: 'Rubio to reporters in Geneva', citedBy: 2 });
const list = [bbc, tass, tass2, geneva];

function renderView(role: 'analyst' | 'viewer' | null, sources: SourceDetail[] = list) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(sourcesKey('demo'), new Map(sources.map((s) => [s.id, s])));
  const onOpenSource = jest.fn();
  const session = role ? { token: 'tok-3', expiresAt: '2999-01-01T00:00:00.000Z', user: { id: 'u1', email: 'ana@example.org', name: 'Ana', role } } : null;
  const filtered = jest.fn();
  // The view's filters live in the URL in the dashboard; here in state, as the URL would hold them.
  function WithFilters() {
    const [filters, setFilters] = useState<SourceFilters>({ srcQ: null, srcKind: null, srcOutlet: null, srcSort: null });
    return (
      <SourcesView
        slug="demo"
        filters={filters}
        setFilters={(patch) => {
          filtered(patch);
          setFilters((f) => ({ ...f, ...patch }));
        }}
        onOpenSource={onOpenSource}
      />
    );
  }
  render(
    <QueryClientProvider client={client}>
      <AuthProvider initial={session}>
        <WithFilters />
      </AuthProvider>
    </QueryClientProvider>,
  );
  return { onOpenSource, client, filtered };
}

const table = () => screen.getByRole('table');
const rows = () => within(table()).getAllByRole('row').slice(1);
const cells = (r: HTMLElement) => within(r).getAllByRole('cell').map((c) => c.textContent);
const ids = () => rows().map((r) => r.getAttribute('data-source-id'));

describe('SourcesView', () => {
  it('lists every source with its outlet, headline, date, kind, language, archive and citations, newest first; a viewer cannot edit', () => {
    serve({});
    const { onOpenSource } = renderView('viewer');
    expect(within(table()).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Published (newest first)', 'Outlet', 'Headline or description', 'Kind', 'Language', 'Archived', 'Cited by']);
    expect(ids()).toEqual(['s-tass2', 's-bbc', 's-tass', 's-geneva']);
    expect(cells(rows()[1]!)).toEqual(['2025-11-23', 'BBC News Brasil', 'O plano de paz de Trump', 'News report', 'pt-BR', 'archived', '12']);
    expect(cells(rows()[3]!)).toEqual(['—', '—', 'Rubio to reporters in Geneva', 'Public reporting, paraphrased', '—', 'no copy', '2']);
    expect(screen.queryByRole('button', { name: /^Edit/ })).toBeNull();
    fireEvent.click(within(rows()[1]!).getByRole('button', { name: 'O plano de paz de Trump' }));
    expect(onOpenSource).toHaveBeenCalledWith('s-bbc');
  });

  it('filters by text (accents and case ignored), kind and outlet, and sorts by date either way (undated last)', () => {
    serve({});
    const { filtered } = renderView(null);
    fireEvent.change(screen.getByLabelText('Filter'), { target: { value: 'мид' } });
    expect(filtered).toHaveBeenLastCalledWith({ srcQ: 'мид' });
    expect(ids()).toEqual(['s-tass']);
    expect(table().querySelector('caption')!.textContent).toBe('1 of 4 sources');
    fireEvent.change(screen.getByLabelText('Filter'), { target: { value: 'nonexistent words' } });
    expect(screen.getByText('No source matches these filters.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Filter'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Outlet'), { target: { value: 'TASS' } });
    expect(ids()).toEqual(['s-tass2', 's-tass']);
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'interview' } });
    expect(ids()).toEqual(['s-tass2']);
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Outlet'), { target: { value: '' } });
    const sortBy = screen.getByRole('button', { name: 'Published (newest first)' });
    fireEvent.click(sortBy);
    expect(filtered).toHaveBeenLastCalledWith({ srcSort: 'oldest' });
    expect(sortBy.closest('th')!.getAttribute('aria-sort')).toBe('ascending');
    expect(ids()).toEqual(['s-tass', 's-bbc', 's-tass2', 's-geneva']);
  });

  it('renders at most ROWS_SHOWN rows of a long list and says the filters reach the others', () => {
    serve({});
    const many = Array.from({ length: ROWS_SHOWN + 20 }, (_, i) => sourceRecord({ id: `s-${i}`, outlet: `Outlet ${i}`, url: `https://example.org/${i}` }));
    renderView(null, many);
    expect(rows()).toHaveLength(ROWS_SHOWN);
    expect(table().querySelector('caption')!.textContent).toBe(`${ROWS_SHOWN + 20} sources; the first ${ROWS_SHOWN} are listed, filter to see the others`);
    fireEvent.change(screen.getByLabelText('Filter'), { target: { value: 'example.org/519' } });
    expect(ids()).toEqual(['s-519']);
  });

  it('an analyst corrects a source: the shared schema’s messages first, then a PATCH with the version it was loaded at', async () => {
    const fixed = { ...tass, title: 'Заявление МИД', language: 'ru', version: 2 };
    const calls = serve({ 'PATCH /api/negotiations/demo/sources/s-tass': [{ status: 200, body: fixed }] });
    const { client } = renderView('analyst');
    fireEvent.click(screen.getByRole('button', { name: 'Edit TASS Заявление МИД России' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit source: TASS — Заявление МИД России' });
    expect((within(dialog).getByLabelText('Publication date') as HTMLInputElement).value).toBe('2025-11-21');
    fireEvent.change(within(dialog).getByLabelText('Language'), { target: { value: 'russian!' } });
    fireEvent.change(within(dialog).getByLabelText('URL'), { target: { value: 'javascript:alert(1)' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save source' }));
    expect(within(dialog).getByText('Language must be a BCP-47 language tag like en, uk or pt-BR')).toBeTruthy();
    expect(within(dialog).getByLabelText('URL').getAttribute('aria-invalid')).toBe('true');
    expect(calls).toHaveLength(0);
    fireEvent.change(within(dialog).getByLabelText('Language'), { target: { value: 'ru' } });
    fireEvent.change(within(dialog).getByLabelText('URL'), { target: { value: '' } });
    fireEvent.change(within(dialog).getByLabelText('Headline'), { target: { value: 'Заявление МИД' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save source' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(calls[0]!.body).toEqual({ kind: 'official_statement', outlet: 'TASS', title: 'Заявление МИД', url: null, publishedAt: '2025-11-21', language: 'ru', description: null, expectedVersion: 1 });
    expect(calls[0]!.headers['authorization']).toBe('Bearer tok-3');
    expect(client.getQueryData<Map<string, SourceDetail>>(sourcesKey('demo'))?.get('s-tass')).toMatchObject({ title: 'Заявление МИД', version: 2, citedBy: 3 });
  });

  it('shows the API’s refusals: a field named in the error body, a source that would name nothing, a URL another source has, a newer version', async () => {
    const refused = (field: string, message: string) => ({ status: 400, body: { statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED', message: `Invalid request: ${field}: ${message}`, details: [{ field, message }] } });
    serve({
      'PATCH /api/negotiations/demo/sources/s-geneva': [
        refused('body.publishedAt', 'must not be before 1900-01-01'),
        refused('source', 'would name nothing: keep at least a url, an outlet, a title, a description or a publication date'),
        { status: 409, body: { statusCode: 409, error: 'Conflict', code: 'CONFLICT', message: "Source 's-bbc' of this negotiation has this URL already; cite it instead", current: bbc } },
        { status: 409, body: { statusCode: 409, error: 'Conflict', code: 'VERSION_CONFLICT', message: 'Source changed', current: { ...geneva, version: 5 } } },
      ],
      'GET /api/negotiations/demo/sources': [{ status: 200, body: list.map((s) => (s.id === 'geneva' ? s : s.id === 's-geneva' ? { ...s, description: 'Rubio and Yermak in Geneva', version: 5 } : s)) }],
    });
    renderView('analyst');
    fireEvent.click(screen.getByRole('button', { name: 'Edit Rubio to reporters in Geneva' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit source: Rubio to reporters in Geneva' });
    const save = () => fireEvent.click(within(dialog).getByRole('button', { name: 'Save source' }));
    fireEvent.change(within(dialog).getByLabelText('Publication date'), { target: { value: '1899-12-31' } });
    save();
    expect(await within(dialog).findByText('Publication date must not be before 1900-01-01')).toBeTruthy();
    save();
    expect(await within(dialog).findByText(/^would name nothing/)).toBeTruthy();
    save();
    expect(await within(dialog).findByText("Source 's-bbc' of this negotiation has this URL already; cite it instead")).toBeTruthy();
    save();
    expect(await within(dialog).findByText(/Someone else changed this source since you opened it/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reload source' }));
    await waitFor(() => expect((within(dialog).getByLabelText('Description') as HTMLTextAreaElement).value).toBe('Rubio and Yermak in Geneva'));
  });
});
