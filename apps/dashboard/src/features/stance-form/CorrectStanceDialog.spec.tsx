import type { MatrixView, Party, RecordStanceResult, StanceEvent } from '@parley/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { matrixKey } from '../../shared/use-matrix';
import { partiesKey } from '../../shared/use-parties';
import { serve } from '../../testing/serve';
import { matrixView, milestoneRecord, planDocument, point, sourceRecord, stance } from '../../testing/fixtures';
import { AuthProvider } from '../auth/AuthProvider';
import { documentsKey } from '../documents/use-documents';
import { sourcesKey } from '../sources/use-sources';
import { StanceTimeline } from '../point-detail/StanceTimeline';
import { CorrectStanceDialog } from './CorrectStanceDialog';

const PARTY = '11111111-1111-4111-8111-111111111111';
const POINT = '22222222-2222-4222-8222-222222222206';
const P05 = '22222222-2222-4222-8222-222222222205';
const TASS = '44444444-4444-4444-8444-444444444401';
const DOC = '55555555-5555-4555-8555-555555555501';
const MOSCOW = '66666666-6666-4666-8666-666666666602';

const session = {
  token: 'tok-9',
  expiresAt: '2999-01-01T00:00:00.000Z',
  user: { id: 'u1', email: 'ana@example.org', name: 'Ana', role: 'analyst' as const },
};
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
/** The event corrected: a red line citing TASS at the Moscow talks, with a quote and a linked point. */
const event: StanceEvent = stance('red_line', {
  partyId: PARTY,
  pointId: POINT,
  confidence: 'reported',
  effectiveAt: '2025-12-02T00:00:00.000Z',
  source: { id: TASS, kind: 'news_report', url: null, outlet: 'TASS', title: 'Ушаков', publishedAt: '2025-12-02T00:00:00.000Z', language: 'ru', description: null },
  quote: 'Неприемлемо',
  quoteLanguage: 'ru',
  conditions: { text: 'Only with guarantees', pointIds: [P05] },
  documentId: DOC,
  milestoneId: MOSCOW,
});
const CORRECT = `POST /api/negotiations/demo/stances/${event.id}/correct`;

function renderDialog(version = 7) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  const matrix: MatrixView = matrixView(
    [
      {
        point: { id: POINT, code: 'p06', title: 'Armed forces', category: 'military' },
        number: null,
        text: null,
        cells: { [PARTY]: { version, stance: event, corroboration: { outlets: 1, sources: 1, corroborated: false } } },
        summary: { pointId: POINT, stated: 1, silent: [], agreed: false, blocked: true, spread: 0, mean: -2, min: -2, max: -2 } as never,
      },
    ],
    [{ id: PARTY, code: 'RU', name: 'Russia', color: '#c00000', parentId: null }],
  );
  client.setQueryData(matrixKey('demo', null), matrix);
  client.setQueryData(partiesKey('demo'), [party]);
  client.setQueryData(['points', 'demo'], [point(P05, 'p05', 'Security guarantees', [], 5), point(POINT, 'p06', 'Armed forces', [], 6)]);
  client.setQueryData(sourcesKey('demo'), new Map([[TASS, sourceRecord({ id: TASS, outlet: 'TASS', title: 'Ушаков', publishedAt: '2025-12-02T00:00:00.000Z', language: 'ru' })]]));
  client.setQueryData(documentsKey('demo'), [planDocument(DOC, 'US 28-point draft', '2025-11-20', [])]);
  client.setQueryData(['milestones', 'demo'], [milestoneRecord(MOSCOW, 'Moscow talks', '2025-12-02')]);
  const onClose = jest.fn();
  render(
    <QueryClientProvider client={client}>
      <AuthProvider initial={session}>
        <CorrectStanceDialog slug="demo" event={event} onClose={onClose} />
      </AuthProvider>
    </QueryClientProvider>,
  );
  return { onClose, client };
}

const fill = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const value = (label: string) => (screen.getByLabelText(label) as HTMLInputElement).value;

jest.setTimeout(20_000);

describe('correcting a stance from the timeline', () => {
  it('the timeline offers "Correct" on each event not retracted', () => {
    const retracted = stance('accept', { partyId: PARTY, pointId: POINT, effectiveAt: '2025-11-22T00:00:00.000Z', retraction: { id: 'r0', seq: 3, reason: 'dup', recordedAt: '2025-11-23T00:00:00.000Z', recordedBy: 'u1' } });
    const onCorrect = jest.fn();
    render(<StanceTimeline events={[retracted, event]} parties={[{ id: PARTY, name: 'Russia', color: '#c00000' }]} actors={new Map()} asOf={null} onCorrect={onCorrect} />);
    const buttons = screen.getAllByRole('button', { name: /^Correct / });
    expect(buttons.map((b) => b.getAttribute('aria-label'))).toEqual(['Correct Russia: Red line, effective 2025-12-02']);
    fireEvent.click(buttons[0]!);
    expect(onCorrect).toHaveBeenCalledWith(event);
  });

  it('opens the form with the event’s values, asks for a reason, and sends the correction with the cell’s version', async () => {
    const corrected = stance('reject', { partyId: PARTY, pointId: POINT });
    const answer: RecordStanceResult & { retracted: StanceEvent } = {
      event: corrected,
      retracted: { ...event, retraction: { id: 'r1', seq: 9, reason: 'Wrong position', recordedAt: '2025-12-03T00:00:00.000Z', recordedBy: 'u1' } },
      cell: { partyId: PARTY, pointId: POINT, version: 9, current: corrected },
    };
    const calls = serve({ [CORRECT]: [{ status: 201, body: answer }] });
    const { onClose, client } = renderDialog();
    const dialog = screen.getByRole('dialog', { name: 'Correct: Russia on p06 Armed forces' });
    expect(dialog.textContent).toContain('Correcting: Red line, effective 2025-12-02');
    // The event's values, its position focused.
    expect(screen.getByRole('radio', { name: 'Red line' })).toHaveProperty('checked', true);
    expect(document.activeElement).toBe(screen.getByRole('radio', { name: 'Red line' }));
    expect(value('Cited source')).toBe(TASS);
    expect(value('Effective date')).toBe('2025-12-02');
    expect(value('Quote (original words)')).toBe('Неприемлемо');
    expect(value('Conditions')).toBe('Only with guarantees');
    expect(screen.getByRole('checkbox', { name: 'p05 Security guarantees' })).toHaveProperty('checked', true);
    expect(value('Document')).toBe(DOC);
    expect(value('Milestone')).toBe(MOSCOW);

    // A correction needs its reason.
    fireEvent.keyDown(document.activeElement!, { key: '5' });
    fireEvent.click(screen.getByRole('button', { name: 'Save correction' }));
    const reason = screen.getByLabelText('Reason for the correction (required)');
    expect(reason.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(reason.getAttribute('aria-describedby')!)!.textContent).toBe('must not be empty');
    expect(calls).toHaveLength(0);

    fill('Reason for the correction (required)', 'Wrong position: TASS said reject, not red line');
    fireEvent.click(screen.getByRole('button', { name: 'Save correction' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    // One request (then the sources reload: the cited one counts one more stance).
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    expect(calls[0]!.headers['idempotency-key']).toMatch(/.{8,}/);
    expect(calls[0]!.body).toEqual({
      partyId: PARTY,
      pointId: POINT,
      position: 'reject',
      confidence: 'reported',
      effectiveAt: '2025-12-02',
      source: { id: TASS },
      conditions: { text: 'Only with guarantees', pointIds: [P05] },
      quote: 'Неприемлемо',
      quoteLanguage: 'ru',
      documentId: DOC,
      milestoneId: MOSCOW,
      expectedVersion: 7,
      reason: 'Wrong position: TASS said reject, not red line',
    });
    // The "now" matrix shows the corrected cell at once.
    expect(client.getQueryData<MatrixView>(matrixKey('demo', null))?.rows[0]?.cells[PARTY]).toMatchObject({ version: 9, stance: { position: 'reject' } });
  });

  it('on 409 shows their cell beside the correction; "Keep mine" sends it again with the reason, against their version', async () => {
    const theirs = stance('accept', { partyId: PARTY, pointId: POINT, recordedBy: 'colleague@example.org' });
    const calls = serve({
      [CORRECT]: [
        {
          status: 409,
          body: { statusCode: 409, error: 'Conflict', code: 'VERSION_CONFLICT', message: 'The cell changed', details: [], current: { partyId: PARTY, pointId: POINT, version: 8, current: theirs } },
        },
        { status: 201, body: { event: theirs, retracted: event, cell: { partyId: PARTY, pointId: POINT, version: 10, current: theirs } } },
      ],
    });
    const { onClose, client } = renderDialog();
    // The live client patches the matrix while the form is open: the form keeps the version it opened on.
    act(() => {
      client.setQueryData<MatrixView>(matrixKey('demo', null), (m) => m && { ...m, rows: m.rows.map((r) => ({ ...r, cells: { [PARTY]: { ...r.cells[PARTY]!, version: 8, stance: theirs } } })) });
    });
    fill('Reason for the correction (required)', 'Typo in the date');
    fill('Effective date', '2025-12-01');
    fireEvent.click(screen.getByRole('button', { name: 'Save correction' }));
    const panel = await screen.findByRole('alert');
    expect(within(panel).getByText('Someone else changed this cell')).toBeTruthy();
    expect(within(panel).getByRole('region', { name: 'Theirs (saved)' }).textContent).toContain('colleague@example.org');
    expect(within(panel).getByRole('region', { name: 'Yours (not saved)' }).textContent).toContain('effective 2025-12-01');
    expect(within(panel).getByRole('region', { name: 'Yours (not saved)' }).textContent).toContain('CorrectionTypo in the date');
    fireEvent.click(within(panel).getByRole('button', { name: 'Keep mine' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(calls[0]!.body).toMatchObject({ expectedVersion: 7, reason: 'Typo in the date', effectiveAt: '2025-12-01' });
    expect(calls[1]!.body).toMatchObject({ expectedVersion: 8, reason: 'Typo in the date', effectiveAt: '2025-12-01' });
    expect(calls[1]!.url).toBe(`/api/negotiations/demo/stances/${event.id}/correct`);
  });

  it('under review, says the correction waits for approval', async () => {
    serve({ [CORRECT]: [{ status: 202, body: { id: 'prop-1', kind: 'correction', status: 'open', partyId: PARTY, pointId: POINT, eventId: event.id, baseVersion: 7 } }] });
    const { onClose } = renderDialog();
    fill('Reason for the correction (required)', 'Wrong source');
    fireEvent.click(screen.getByRole('button', { name: 'Save correction' }));
    const notice = (await screen.findByText('Sent for review.')).closest<HTMLElement>('[role="status"]')!;
    expect(notice.textContent).toContain('another analyst or an admin approves your correction');
    expect(onClose).not.toHaveBeenCalled();
    fireEvent.click(within(notice).getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalled();
  });
});
