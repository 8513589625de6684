import type { Party, RecordStanceResult } from '@parley/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { partiesKey } from '../../shared/use-parties';
import { serve } from '../../testing/serve';
import { milestoneRecord, planDocument, point, stance } from '../../testing/fixtures';
import { AuthProvider } from '../auth/AuthProvider';
import { sourcesKey } from '../sources/use-sources';
import { StanceDialog } from './StanceDialog';
import type { StanceTarget } from './types';

const PARTY = '11111111-1111-4111-8111-111111111111';
const POINT = '22222222-2222-4222-8222-222222222206';
const P05 = '22222222-2222-4222-8222-222222222205';
const P10 = '22222222-2222-4222-8222-222222222210';
const ACTOR = '33333333-3333-4333-8333-333333333333';
const DOC_US = '55555555-5555-4555-8555-555555555501';
const DOC_20 = '55555555-5555-4555-8555-555555555502';
const GENEVA = '66666666-6666-4666-8666-666666666601';
const MOSCOW = '66666666-6666-4666-8666-666666666602';

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
  actors: [
    { id: ACTOR, name: 'Yuri Ushakov', role: 'Kremlin aide', retired: false },
    { id: '33333333-3333-4333-8333-333333333334', name: 'Retired envoy', role: 'Envoy', retired: true },
  ],
  version: 1,
  createdAt: '2025-11-20T00:00:00.000Z',
  updatedAt: '2025-11-20T00:00:00.000Z',
};
const saved: RecordStanceResult = { event: stance('reject'), cell: { partyId: PARTY, pointId: POINT, version: 4, current: stance('reject') } };
const N = '/api/negotiations/demo';

/** The dialog with the parties and sources at hand; the points, documents and milestones come from the (fake) API. */
function renderDialog() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(partiesKey('demo'), [party]);
  client.setQueryData(sourcesKey('demo'), new Map());
  const onClose = jest.fn();
  render(
    <QueryClientProvider client={client}>
      <AuthProvider initial={session}>
        <StanceDialog slug="demo" target={target} onClose={onClose} />
      </AuthProvider>
    </QueryClientProvider>,
  );
  return { onClose };
}

/** Fresh answers for each test (the fake API uses each answer up). */
const lists = () => ({
  [`GET ${N}/points`]: [{ status: 200, body: [point(P10, 'p10', 'Sanctions relief', [], 10), point(POINT, 'p06', 'Armed forces', [], 6), point(P05, 'p05', 'Security guarantees', [], 5)] }],
  [`GET ${N}/documents`]: [{ status: 200, body: [planDocument(DOC_20, '20-point framework', '2025-12-24', []), planDocument(DOC_US, 'US 28-point draft', '2025-11-20', [])] }],
  [`GET ${N}/milestones`]: [{ status: 200, body: [milestoneRecord(GENEVA, 'Geneva talks', '2025-11-23'), milestoneRecord(MOSCOW, 'Moscow talks', '2025-12-02')] }],
});
/** The three lists arrived (cheap checks: role queries over the whole form are slow in jsdom). */
async function loaded() {
  await waitFor(() => {
    expect(document.querySelectorAll('[data-point-id]')).toHaveLength(2);
    expect((screen.getByLabelText('Document') as HTMLSelectElement).options).toHaveLength(3);
    expect((screen.getByLabelText('Milestone') as HTMLSelectElement).options).toHaveLength(3);
  });
}
const fill = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const optionsOf = (label: string) => within(screen.getByLabelText(label)).getAllByRole('option').map((o) => o.textContent);

// The form is large and jsdom's role queries walk all of it: on a busy machine a test takes seconds.
jest.setTimeout(20_000);

describe('the stance form’s references: actor, conditions with their points, document, milestone', () => {
  it('offers the active actors, the other points, the documents and the milestones (newest first) and sends every one chosen', async () => {
    const calls = serve({ ...lists(), [`POST ${N}/stances`]: [{ status: 201, body: saved }] });
    const { onClose } = renderDialog();
    await loaded();
    expect(optionsOf('Actor')).toEqual(['— none —', 'Yuri Ushakov (Kremlin aide)']);
    expect(optionsOf('Document')).toEqual(['— none —', '20-point framework (full title) (2025-12-24)', 'US 28-point draft (full title) (2025-11-20)']);
    expect(optionsOf('Milestone')).toEqual(['— none —', '2025-12-02 · Moscow talks', '2025-11-23 · Geneva talks']);
    const linked = within(screen.getByRole('group', { name: /^Depends on points/ }));
    expect(linked.getAllByRole('checkbox').map((c) => c.closest('label')?.textContent?.trim())).toEqual(['p05 Security guarantees', 'p10 Sanctions relief']);

    fireEvent.click(screen.getByRole('radio', { name: 'Conditional' }));
    fill('Outlet', 'TASS');
    fill('Headline', 'Ушаков о переговорах');
    fill('Publication date', '2025-12-02');
    fill('Source language', 'ru');
    fill('Actor', ACTOR);
    fill('Confidence', 'official');
    fill('Effective date', '2025-12-02');
    fill('Conditions', 'Only if sanctions are lifted first');
    fireEvent.click(linked.getByRole('checkbox', { name: 'p10 Sanctions relief' }));
    fireEvent.click(linked.getByRole('checkbox', { name: 'p05 Security guarantees' }));
    fill('Document', DOC_US);
    fill('Milestone', MOSCOW);
    fill('Quote (original words)', 'Только после снятия санкций');
    fill('Quote language', 'ru');
    fill('Translation', 'Only after sanctions are lifted');
    fill('Translation language', 'en');
    fireEvent.click(screen.getByRole('button', { name: 'Save stance' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toEqual({
      partyId: PARTY,
      pointId: POINT,
      position: 'conditional',
      confidence: 'official',
      effectiveAt: '2025-12-02',
      source: { outlet: 'TASS', title: 'Ушаков о переговорах', publishedAt: '2025-12-02', language: 'ru' },
      conditions: { text: 'Only if sanctions are lifted first', pointIds: [P10, P05] },
      quote: 'Только после снятия санкций',
      quoteLanguage: 'ru',
      translation: 'Only after sanctions are lifted',
      translationLanguage: 'en',
      actorId: ACTOR,
      documentId: DOC_US,
      milestoneId: MOSCOW,
      expectedVersion: 3,
    });
  });

  it('sends linked points without a condition text, and nothing of the references left empty', async () => {
    const calls = serve({ ...lists(), [`POST ${N}/stances`]: [{ status: 201, body: saved }] });
    const { onClose } = renderDialog();
    await loaded();
    fireEvent.click(screen.getByRole('checkbox', { name: 'p05 Security guarantees' }));
    fireEvent.click(screen.getByRole('radio', { name: 'Amend' }));
    fill('Outlet', 'Reuters');
    fireEvent.click(screen.getByRole('button', { name: 'Save stance' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    const body = calls.find((c) => c.method === 'POST')?.body as Record<string, unknown>;
    expect(body['conditions']).toEqual({ pointIds: [P05] });
    expect(Object.keys(body)).not.toEqual(expect.arrayContaining(['documentId']));
    expect(Object.keys(body)).not.toEqual(expect.arrayContaining(['milestoneId']));
  });

  it('shows the API’s refusals at the document, the milestone and the linked points', async () => {
    serve({
      ...lists(),
      [`POST ${N}/stances`]: [
        {
          status: 400,
          body: {
            statusCode: 400,
            error: 'Bad Request',
            code: 'VALIDATION_FAILED',
            message: 'Invalid request',
            details: [
              { field: 'body.documentId', message: `document '${DOC_US}' does not exist in this negotiation` },
              { field: 'body.milestoneId', message: `milestone '${GENEVA}' does not exist in this negotiation` },
              { field: 'body.conditions.pointIds.0', message: `point '${P10}' does not exist in this negotiation` },
            ],
          },
        },
      ],
    });
    renderDialog();
    await loaded();
    fireEvent.click(screen.getByRole('checkbox', { name: 'p10 Sanctions relief' }));
    fireEvent.click(screen.getByRole('radio', { name: 'Reject' }));
    fill('Outlet', 'Reuters');
    fill('Document', DOC_US);
    fill('Milestone', GENEVA);
    fireEvent.click(screen.getByRole('button', { name: 'Save stance' }));
    const doc = screen.getByLabelText('Document');
    await waitFor(() => expect(doc.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(doc.getAttribute('aria-describedby')!)!.textContent).toBe(`document '${DOC_US}' does not exist in this negotiation`);
    const milestone = screen.getByLabelText('Milestone');
    expect(document.getElementById(milestone.getAttribute('aria-describedby')!)!.textContent).toBe(`milestone '${GENEVA}' does not exist in this negotiation`);
    const group = screen.getByRole('group', { name: /^Depends on points/ });
    expect(group.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(group.getAttribute('aria-describedby')!)!.textContent).toBe(`point '${P10}' does not exist in this negotiation`);
    // No leftover message about the whole form: every problem is at its field.
    expect(screen.queryByRole('alert')).toBeNull();
    // Choosing again clears the field's message.
    fill('Milestone', MOSCOW);
    expect(screen.getByLabelText('Milestone').getAttribute('aria-invalid')).toBe('false');
  });

  it('Esc closes the dialog; a list of keys open over it closes first', async () => {
    serve(lists());
    const { onClose } = renderDialog();
    const accept = screen.getByRole('radio', { name: 'Accept' });
    expect(document.activeElement).toBe(accept);
    fireEvent.keyDown(accept, { key: '?' });
    const help = screen.getByRole('dialog', { name: 'Keys of the stance form' });
    fireEvent.keyDown(within(help).getByRole('button', { name: 'Back to the form' }), { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Keys of the stance form' })).toBeNull());
    expect(onClose).not.toHaveBeenCalled();
    // Back in the form, where the list was opened from.
    expect(document.activeElement).toBe(accept);
    fireEvent.keyDown(accept, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});
