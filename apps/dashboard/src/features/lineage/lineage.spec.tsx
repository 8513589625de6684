import type { CarryStancesResult, InheritedHistory as Inherited, Point } from '@parley/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { stance } from '../../testing/fixtures';
import { serve } from '../../testing/serve';
import { AuthProvider } from '../auth/AuthProvider';
import { lineageToSend, PointDialog } from '../editing/PointDialog';
import { InheritedHistory, inheritedHeading } from '../point-detail/InheritedHistory';
import { choicesOf, itemText, resultText } from './carry';

const session = {
  token: 'tok-1',
  expiresAt: '2999-01-01T00:00:00.000Z',
  user: { id: 'u1', email: 'ana@example.org', name: 'Ana', role: 'analyst' as const },
};

const P05 = '00000000-0000-4000-8000-000000000005';
const P10 = '00000000-0000-4000-8000-000000000010';
const P29 = '00000000-0000-4000-8000-000000000029';

function point(id: string, code: string, title: string, derivedFrom: Point['derivedFrom'] = []): Point {
  return {
    id,
    negotiationId: 'neg-1',
    code,
    title,
    category: 'territory',
    description: '',
    sortOrder: 0,
    derivedFrom,
    version: 1,
    createdAt: '2025-11-20T00:00:00.000Z',
    updatedAt: '2025-11-20T00:00:00.000Z',
  };
}

const parties = [
  { id: 'ua', negotiationId: 'neg-1', code: 'UA', name: 'Ukraine', kind: 'state', color: '#0057b7', parentId: null, description: '', sortOrder: 0, actors: [], version: 1, createdAt: '', updatedAt: '' },
  { id: 'ru', negotiationId: 'neg-1', code: 'RU', name: 'Russia', kind: 'state', color: '#d52b1e', parentId: null, description: '', sortOrder: 1, actors: [], version: 1, createdAt: '', updatedAt: '' },
  { id: 'us', negotiationId: 'neg-1', code: 'US', name: 'United States', kind: 'state', color: '#3c3b6e', parentId: null, description: '', sortOrder: 2, actors: [], version: 1, createdAt: '', updatedAt: '' },
];

const candidate = (pointId: string, pointCode: string, position: 'accept' | 'reject') => ({ pointId, pointCode, eventId: `e-${pointCode}`, position, effectiveAt: '2025-11-22T00:00:00.000Z' });

const plan: CarryStancesResult = {
  pointId: P29,
  dryRun: true,
  reviewRequired: false,
  items: [
    { partyId: 'ua', status: 'planned', reason: null, from: candidate(P10, 'p10', 'accept'), candidates: [candidate(P05, 'p05', 'accept'), candidate(P10, 'p10', 'accept')], effectiveAt: '2025-12-01T00:00:00.000Z', event: null, proposalId: null },
    { partyId: 'ru', status: 'choice_required', reason: 'differ', from: null, candidates: [candidate(P05, 'p05', 'reject'), candidate(P10, 'p10', 'accept')], effectiveAt: null, event: null, proposalId: null },
    { partyId: 'us', status: 'skipped', reason: 'no parent has a stance of US', from: null, candidates: [], effectiveAt: null, event: null, proposalId: null },
  ],
};

describe('carrying stances (issue 18, item 6)', () => {
  it('words each party of a plan and a result, and needs a choice for every party whose parents differ', () => {
    expect(plan.items.map(itemText)).toEqual(['Accept from p10, effective 2025-12-01', 'The parents differ: choose one', 'Skipped: no parent has a stance of US']);
    expect(choicesOf(plan, {})).toBeNull();
    expect(choicesOf(plan, { ru: P05 })).toEqual([{ partyId: 'ru', fromPointId: P05 }]);
    const done: CarryStancesResult = {
      ...plan,
      dryRun: false,
      items: plan.items.map((i) => (i.status === 'skipped' ? i : { ...i, status: 'recorded' as const, from: i.from ?? candidate(P05, 'p05', 'reject') })),
    };
    expect(resultText(done)).toBe('2 stances carried, 1 party skipped.');
    expect(resultText({ ...plan, reviewRequired: true, items: [{ ...plan.items[0], status: 'proposed' }] })).toBe('1 proposal made for review.');
  });

  it('sends derivedFrom only when the parents changed', () => {
    expect(lineageToSend({ parents: [], lineageKind: 'split' }, null)).toBeUndefined();
    expect(lineageToSend({ parents: [P05, P10], lineageKind: 'merge' }, null)).toEqual([
      { pointId: P05, kind: 'merge' },
      { pointId: P10, kind: 'merge' },
    ]);
    const loaded = point(P29, 'p29', 'Merged', [{ pointId: P05, kind: 'merge' }]);
    expect(lineageToSend({ parents: [P05], lineageKind: 'merge' }, loaded)).toBeUndefined();
    expect(lineageToSend({ parents: [P05], lineageKind: 'split' }, loaded)).toEqual([{ pointId: P05, kind: 'split' }]);
    expect(lineageToSend({ parents: [], lineageKind: 'split' }, loaded)).toEqual([]);
  });

  it("a new merged point is offered its parents' stances: the plan, a choice where they differ, then one request", async () => {
    const calls = serve({
      'POST /api/negotiations/demo/points': [{ status: 201, body: point(P29, 'p29', 'Security and territory', [{ pointId: P05, kind: 'merge' }, { pointId: P10, kind: 'merge' }]) }],
      [`POST /api/negotiations/demo/points/${P29}/carry-stances`]: [
        { status: 200, body: plan },
        {
          status: 201,
          body: {
            ...plan,
            dryRun: false,
            items: [
              { ...plan.items[0], status: 'recorded', event: stance('accept', { partyId: 'ua', pointId: P29 }) },
              { ...plan.items[1], status: 'recorded', from: candidate(P05, 'p05', 'reject'), event: stance('reject', { partyId: 'ru', pointId: P29 }) },
              plan.items[2],
            ],
          },
        },
      ],
    });
    const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
    client.setQueryData(['points', 'demo'], [point(P05, 'p05', 'Security'), point(P10, 'p10', 'Territory')]);
    client.setQueryData(['parties', 'demo'], parties);
    const onClose = jest.fn();
    render(
      <QueryClientProvider client={client}>
        <AuthProvider initial={session}>
          <PointDialog slug="demo" onClose={onClose} />
        </AuthProvider>
      </QueryClientProvider>,
    );
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Security and territory' } });
    fireEvent.change(screen.getByLabelText('Category'), { target: { value: 'territory' } });
    fireEvent.change(screen.getByLabelText('How'), { target: { value: 'merge' } });
    const parents = screen.getByRole('group', { name: 'Parent points' });
    fireEvent.click(within(parents).getByLabelText(/p05 Security/));
    fireEvent.click(within(parents).getByLabelText(/p10 Territory/));
    fireEvent.click(screen.getByRole('button', { name: 'Add point' }));

    // The dialog turns into the offer, with the API's plan.
    await screen.findByRole('dialog', { name: "Carry the parents' stances to p29" });
    expect(calls[0]?.body).toEqual({ title: 'Security and territory', category: 'territory', derivedFrom: [{ pointId: P05, kind: 'merge' }, { pointId: P10, kind: 'merge' }] });
    await screen.findByText(/The parents differ/);
    const carries = () => calls.filter((c) => c.url.endsWith('/carry-stances'));
    expect(carries().map((c) => [c.method, c.body])).toEqual([['POST', { dryRun: true }]]);
    expect(onClose).not.toHaveBeenCalled();

    // Sending without a choice for Russia is refused in the browser.
    fireEvent.click(screen.getByRole('button', { name: 'Carry stances' }));
    expect(await screen.findByText('Choose a parent for every party whose parents differ.')).toBeTruthy();
    expect(carries()).toHaveLength(1);

    fireEvent.change(screen.getByLabelText('Parent for Russia'), { target: { value: P05 } });
    fireEvent.click(screen.getByRole('button', { name: 'Carry stances' }));
    expect((await screen.findByTestId('carry-result')).textContent).toBe('2 stances carried, 1 party skipped.');
    expect(carries()[1]).toMatchObject({ method: 'POST', body: { choices: [{ partyId: 'ru', fromPointId: P05 }] } });
    fireEvent.click(screen.getByText('Close', { selector: 'button.primary' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
  });

  it("shows a point's inherited history marked with each parent's code", () => {
    const inherited: Inherited[] = [
      {
        from: { id: P05, code: 'p05', title: 'Security' },
        kind: 'merge',
        via: { id: P29, code: 'p29', title: 'Merged' },
        before: '2025-12-01T00:00:00.000Z',
        provisions: [{ documentId: 'd28', documentTitle: 'The 28-point plan', publishedAt: '2025-11-20T00:00:00.000Z', number: '5', text: 'Security guarantees.' }],
        events: [stance('reject', { partyId: 'ru', pointId: P05 })],
      },
      { from: { id: P10, code: 'p10', title: 'Territory' }, kind: 'merge', via: { id: P29, code: 'p29', title: 'Merged' }, before: null, provisions: [], events: [] },
    ];
    expect(inheritedHeading(inherited[0])).toBe('p29 merged from p05, before 2025-12-01');
    render(<InheritedHistory inherited={inherited} parties={parties} actors={new Map()} asOf={null} />);
    const sections = screen.getAllByTestId('inherited');
    expect(sections).toHaveLength(2);
    expect(within(sections[0]).getByText('inherited · p05')).toBeTruthy();
    expect(within(sections[0]).getByText(/Security guarantees\./)).toBeTruthy();
    expect(within(sections[0]).getByText('Reject')).toBeTruthy();
    expect(within(sections[1]).getByText('No stance on p10 before then.')).toBeTruthy();
    // Nothing inherited: no section at all.
    const { container } = render(<InheritedHistory inherited={[]} parties={parties} actors={new Map()} asOf={null} />);
    expect(container.textContent).toBe('');
  });
});
