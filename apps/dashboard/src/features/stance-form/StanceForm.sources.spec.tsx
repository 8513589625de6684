import type { Party, RecordStanceResult, SourceDetail } from '@parley/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { partiesKey } from '../../shared/use-parties';
import { serve } from '../../testing/serve';
import { sourceRecord, stance } from '../../testing/fixtures';
import { AuthProvider } from '../auth/AuthProvider';
import { sourcesKey } from '../sources/use-sources';
import { documentsKey } from '../documents/use-documents';
import { StanceDialog } from './StanceDialog';
import type { StanceTarget } from './types';

const PARTY = '11111111-1111-4111-8111-111111111111';
const POINT = '22222222-2222-4222-8222-222222222222';
const TASS = '44444444-4444-4444-8444-444444444401';
const BBC = '44444444-4444-4444-8444-444444444402';
const KYIV = '44444444-4444-4444-8444-444444444403';

const session = {
  token: 'tok-9',
  expiresAt: '2999-01-01T00:00:00.000Z',
  user: { id: 'u1', email: 'ana@example.org', name: 'Ana', role: 'analyst' as const },
};
const target: StanceTarget = { partyId: PARTY, partyName: 'Russia', pointId: POINT, pointLabel: 'p06 Armed forces', version: 3, current: null };
const party: Party = {
  id: PARTY,
  negotiationId: 'neg-1',
  code: 'RU',
  name: 'Russia',
  kind: 'state',
  color: '#c00000',
  parentId: null,
  description: '',
  sortOrder: 1,
  actors: [],
  version: 1,
  createdAt: '2025-11-20T00:00:00.000Z',
  updatedAt: '2025-11-20T00:00:00.000Z',
};
const sources: SourceDetail[] = [
  sourceRecord({ id: TASS, outlet: 'TASS', title: 'Заявление МИД', publishedAt: '2025-11-21T00:00:00.000Z', language: 'ru', citedBy: 3 }),
  sourceRecord({ id: BBC, outlet: 'BBC News Brasil', title: 'O plano de paz', publishedAt: '2025-11-23T00:00:00.000Z', language: 'pt', kind: 'news_report' }),
  sourceRecord({ id: KYIV, outlet: 'Kyiv Independent', title: 'Zaporízhzhia plant', publishedAt: '2025-11-22T00:00:00.000Z', language: 'en' }),
];
const saved: RecordStanceResult = { event: stance('reject'), cell: { partyId: PARTY, pointId: POINT, version: 4, current: stance('reject') } };
const STANCES = 'POST /api/negotiations/demo/stances';

function renderDialog(list: SourceDetail[] = sources) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(partiesKey('demo'), [party]);
  client.setQueryData(sourcesKey('demo'), new Map(list.map((s) => [s.id, s])));
  // The form's other lists (linked points, documents, milestones): none here, so no request for them.
  client.setQueryData(['points', 'demo'], []);
  client.setQueryData(documentsKey('demo'), []);
  client.setQueryData(['milestones', 'demo'], []);
  const onClose = jest.fn();
  render(
    <QueryClientProvider client={client}>
      <AuthProvider initial={session}>
        <StanceDialog slug="demo" target={target} onClose={onClose} />
      </AuthProvider>
    </QueryClientProvider>,
  );
  return { onClose, client };
}

const fill = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const options = () => within(screen.getByLabelText('Cited source')).getAllByRole('option').map((o) => o.textContent);

// The form is large and jsdom's role queries walk all of it: on a busy machine a test takes seconds.
jest.setTimeout(20_000);

describe('the stance form cites a source', () => {
  it('offers the negotiation’s sources, newest publication first, narrowed by what is typed (accents ignored), and sends the chosen one’s id', async () => {
    const calls = serve({ [STANCES]: [{ status: 201, body: saved }], 'GET /api/negotiations/demo/sources': [{ status: 200, body: sources.map((x) => (x.id === TASS ? { ...x, citedBy: 4 } : x)) }] });
    const { onClose, client } = renderDialog();
    expect(screen.getByRole('radio', { name: /Cite a source of this negotiation \(3\)/ })).toHaveProperty('checked', true);
    expect(options()).toEqual(['— choose a source —', 'BBC News Brasil — O plano de paz · 2025-11-23', 'Kyiv Independent — Zaporízhzhia plant · 2025-11-22', 'TASS — Заявление МИД · 2025-11-21']);
    fill('Find a source', 'zaporizhzhia');
    expect(options()).toEqual(['— choose a source —', 'Kyiv Independent — Zaporízhzhia plant · 2025-11-22']);
    expect(screen.getByText('1 of 3 sources match')).toBeTruthy();
    fill('Find a source', 'заявление 2025-11-21');
    expect(options()).toEqual(['— choose a source —', 'TASS — Заявление МИД · 2025-11-21']);
    // Enter in the search box chooses the one match, and does not send the form.
    fireEvent.keyDown(screen.getByLabelText('Find a source'), { key: 'Enter' });
    expect((screen.getByLabelText('Cited source') as HTMLSelectElement).value).toBe(TASS);
    expect(calls).toHaveLength(0);
    expect(screen.getByLabelText('Chosen source').textContent).toBe('TASS — Заявление МИД · 2025-11-21 · News report · in ru · no archived copy');
    fireEvent.click(screen.getByRole('radio', { name: 'Reject' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save stance' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(calls[0]!.method).toBe('POST');
    expect(calls[0]!.body).toMatchObject({ partyId: PARTY, pointId: POINT, position: 'reject', source: { id: TASS }, expectedVersion: 3 });
    expect(Object.keys((calls[0]!.body as { source: object }).source)).toEqual(['id']);
    expect(calls[0]!.headers['authorization']).toBe('Bearer tok-9');
    // The sources reload after the save: the cited one counts one more stance.
    await waitFor(() => expect(client.getQueryData<Map<string, SourceDetail>>(sourcesKey('demo'))?.get(TASS)?.citedBy).toBe(4));
  });

  it('keeps a new source being typed when the negotiation’s sources arrive after the form opened', async () => {
    serve({});
    const { client } = renderDialog([]);
    fill('Outlet', 'Meduza');
    act(() => {
      client.setQueryData(sourcesKey('demo'), new Map(sources.map((s) => [s.id, s])));
    });
    await screen.findByRole('radio', { name: /Cite a source of this negotiation \(3\)/ });
    expect((screen.getByLabelText('Outlet') as HTMLInputElement).value).toBe('Meduza');
    expect(screen.getByRole('radio', { name: 'Enter a new source' })).toHaveProperty('checked', true);
  });

  it('asks to choose a source before sending, and shows the API’s refusal of the chosen one next to the picker', async () => {
    const calls = serve({
      [STANCES]: [
        {
          status: 400,
          body: { statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED', message: 'Invalid request', details: [{ field: 'body.source.id', message: `source '${KYIV}' does not exist in this negotiation` }] },
        },
      ],
    });
    renderDialog();
    fireEvent.click(screen.getByRole('radio', { name: 'Accept' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save stance' }));
    const picker = screen.getByLabelText('Cited source');
    expect(picker.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(picker.getAttribute('aria-describedby')!)!.textContent).toBe('choose one of the negotiation’s sources, or enter a new one');
    expect(calls).toHaveLength(0);
    fill('Cited source', KYIV);
    fireEvent.click(screen.getByRole('button', { name: 'Save stance' }));
    expect(await screen.findByText(`source '${KYIV}' does not exist in this negotiation`)).toBeTruthy();
    expect(screen.getByLabelText('Cited source').getAttribute('aria-invalid')).toBe('true');
  });

  it('enters a new source with all its fields, the quote’s language and its translation', async () => {
    const calls = serve({ [STANCES]: [{ status: 201, body: saved }] });
    const { onClose } = renderDialog();
    fireEvent.click(screen.getByRole('radio', { name: 'Enter a new source' }));
    expect(screen.queryByLabelText('Cited source')).toBeNull();
    fireEvent.click(screen.getByRole('radio', { name: 'Red line' }));
    fill('Outlet', 'Interfax-Ukraine');
    fill('Headline', 'Заява МЗС');
    fill('Source URL', 'https://example.org/zaiava');
    fill('Publication date', '2025-11-24');
    fill('Kind of source', 'official_statement');
    fill('Source language', 'uk');
    fill('Source description', 'Statement by the foreign ministry in Kyiv');
    fill('Quote (original words)', 'Це неприйнятно');
    fill('Quote language', 'uk');
    fill('Translation', 'This is unacceptable');
    fill('Translation language', 'en');
    fireEvent.click(screen.getByRole('button', { name: 'Save stance' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(calls[0]!.body).toMatchObject({
      position: 'red_line',
      source: {
        outlet: 'Interfax-Ukraine',
        title: 'Заява МЗС',
        url: 'https://example.org/zaiava',
        publishedAt: '2025-11-24',
        kind: 'official_statement',
        language: 'uk',
        description: 'Statement by the foreign ministry in Kyiv',
      },
      quote: 'Це неприйнятно',
      quoteLanguage: 'uk',
      translation: 'This is unacceptable',
      translationLanguage: 'en',
    });
  });

  it('shows the shared schema’s messages at the new source’s fields, and the API’s at the field it names', async () => {
    const calls = serve({
      [STANCES]: [
        {
          status: 400,
          body: { statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED', message: 'Invalid request', details: [{ field: 'body.source.publishedAt', message: 'must not be after 2025-11-26' }] },
        },
      ],
    });
    renderDialog([]);
    // A negotiation without sources: only a new one can be entered.
    expect(screen.getByRole('radio', { name: /Cite a source of this negotiation \(it has none yet\)/ })).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('radio', { name: 'Accept' }));
    fill('Headline', 'Talks resume');
    fill('Source language', 'not a tag');
    fireEvent.click(screen.getByRole('button', { name: 'Save stance' }));
    const language = screen.getByLabelText('Source language');
    expect(language.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(language.getAttribute('aria-describedby')!)!.textContent).toBe('must be a BCP-47 language tag like en, uk or pt-BR');
    expect(calls).toHaveLength(0);
    fill('Source language', 'en');
    fill('Publication date', '2025-11-25');
    fireEvent.click(screen.getByRole('button', { name: 'Save stance' }));
    expect(await screen.findByText('must not be after 2025-11-26')).toBeTruthy();
    expect(screen.getByLabelText('Publication date').getAttribute('aria-invalid')).toBe('true');
    expect(calls[0]!.body).toMatchObject({ source: { title: 'Talks resume', language: 'en', publishedAt: '2025-11-25' } });
  });
});
