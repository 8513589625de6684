import type { ChangesPage, Negotiation, Party, StanceEvent } from '@parley/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { matrixView, milestoneRecord, point, row, stance } from '../testing/fixtures';
import { serve } from '../testing/serve';
import { App } from './App';

/**
 * A milestone's page is URL state (`?milestone=<id>`): its marker on the time bar opens it, it lists
 * the stances linked to the milestone and those effective within its days, an entry opens its point
 * at its day, and Back closes it. The lists come through the fake network (the change log, paged).
 */
const negotiation: Negotiation = {
  id: 'id-demo',
  slug: 'demo',
  title: 'Demo talks',
  description: '',
  status: 'active',
  seq: 9,
  version: 1,
  createdAt: '2025-11-20T00:00:00.000Z',
  updatedAt: '2025-11-20T00:00:00.000Z',
};
const party = (id: string, code: string, name: string): Party => ({ id, code, name, negotiationId: 'id-demo', kind: 'state', color: '#0057b7', description: '', sortOrder: 0, parentId: null, actors: [], version: 1, createdAt: '2025-11-20T00:00:00.000Z', updatedAt: '2025-11-20T00:00:00.000Z' });
const parties = [party('ua', 'UA', 'Ukraine'), party('ru', 'RU', 'Russia')];
const points = [point('p1', 'p01', 'Ceasefire line', [], 1), point('p2', 'p02', 'Army cap', [], 2)];
const moscow = { ...milestoneRecord('m6', 'Moscow talks', '2025-12-02', '2025-12-03'), description: 'Putin meets the US envoys.' };
const milestones = [milestoneRecord('m1', 'Draft leaked', '2025-11-20'), moscow];

const linkedEarly = stance('reject', { id: 'e-linked-1', seq: 2, partyId: 'ru', pointId: 'p1', milestoneId: 'm6', effectiveAt: '2025-11-30T00:00:00.000Z', quote: 'No territory given up' });
const linkedLate = stance('conditional', {
  id: 'e-linked-2',
  seq: 5,
  partyId: 'ua',
  pointId: 'p2',
  milestoneId: 'm6',
  effectiveAt: '2025-12-05T00:00:00.000Z',
  retraction: { id: 'r1', seq: 6, reason: 'misattributed', recordedAt: '2025-12-06T00:00:00.000Z', recordedBy: 'ana' },
});
const during = stance('amend', { id: 'e-during', seq: 7, partyId: 'ua', pointId: 'p1', effectiveAt: '2025-12-03T00:00:00.000Z' });

const recorded = (event: StanceEvent) => ({ kind: 'stance.recorded' as const, seq: event.seq, recordedAt: event.recordedAt, event });
const page = (events: StanceEvent[], nextSinceSeq: number | null, extra: ChangesPage['items'] = []): ChangesPage => ({ items: [...events.map(recorded), ...extra], nextSinceSeq, seq: 9 });

function renderApp(search: string) {
  window.history.replaceState(null, '', `/${search}`);
  const calls = serve({
    // The milestone's stances, in two pages (the changes route's milestoneId filter).
    'GET /api/negotiations/demo/changes?milestoneId=m6&limit=500': [{ status: 200, body: page([linkedEarly], 3) }],
    'GET /api/negotiations/demo/changes?milestoneId=m6&limit=500&sinceSeq=3': [
      { status: 200, body: page([linkedLate], null, [{ kind: 'stance.retracted', seq: 6, recordedAt: '2025-12-06T00:00:00.000Z', event: linkedLate, reason: 'misattributed' }]) },
    ],
    'GET /api/negotiations/demo/changes?effectiveFrom=2025-12-02&effectiveTo=2025-12-03&limit=500': [{ status: 200, body: page([during], null) }],
  });
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  const cache: [readonly unknown[], unknown][] = [
    [['negotiations'], [negotiation]],
    [['matrix', 'demo', null], matrixView([row('p1', 'p01', 'Ceasefire line', { ua: 'reject' })], [{ id: 'ua', code: 'UA', name: 'Ukraine', color: '#0057b7', parentId: null }])],
    [['parties', 'demo'], parties],
    [['points', 'demo'], points],
    [['milestones', 'demo'], milestones],
  ];
  for (const [key, data] of cache) client.setQueryData(key, data);
  render(
    <QueryClientProvider client={client}>
      <App />
    </QueryClientProvider>,
  );
  return calls;
}

const param = (key: string) => new URLSearchParams(window.location.search).get(key);
const back = () => act(() => window.history.back());
const section = (name: RegExp) => screen.getByRole('region', { name });
const entries = (name: RegExp) => within(section(name)).getAllByRole('listitem').map((li) => li.getAttribute('data-event-id'));

describe('a milestone’s page', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('opens from its marker on the time bar, lists its linked stances and those of its days, and Back closes it', async () => {
    renderApp('?n=demo');
    fireEvent.click(screen.getByRole('button', { name: '2025-12-02: Moscow talks' }));
    expect(param('milestone')).toBe('m6');
    expect(param('asOf')).toBe('2025-12-02');
    expect(screen.getByRole('heading', { name: 'Milestone: Moscow talks' })).toBeTruthy();
    expect(screen.getByText('Putin meets the US envoys.')).toBeTruthy();

    // Linked: both pages of the filtered change log read, the retraction counted once.
    await waitFor(() => expect(entries(/^Stances linked to this milestone/)).toEqual(['e-linked-1', 'e-linked-2']));
    expect(section(/^Stances linked/).querySelector('h4')?.textContent).toBe('Stances linked to this milestone (2)');
    const retracted = within(section(/^Stances linked/)).getAllByRole('listitem')[1]!;
    expect(retracted.querySelector('s')?.textContent).toBe('Conditional');
    expect(retracted.textContent).toContain('retracted: misattributed');
    expect(within(section(/^Stances linked/)).getByText('No territory given up')).toBeTruthy();
    // Within its days: the changes route's effective window, 2 to 3 December.
    await waitFor(() => expect(entries(/^Stances effective within its days \(2025-12-02 – 2025-12-03\)/)).toEqual(['e-during']));

    await back();
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Milestone: Moscow talks' })).toBeNull());
    expect(param('milestone')).toBeNull();
    expect(param('asOf')).toBeNull();
  });

  it('an entry opens its point at the day it took effect; Back returns to the page', async () => {
    renderApp('?n=demo&milestone=m6');
    await waitFor(() => expect(entries(/^Stances linked/)).toHaveLength(2));
    fireEvent.click(within(section(/^Stances linked/)).getByRole('button', { name: /^Russia on p01 Ceasefire line: Rejects?/ }));
    expect(param('point')).toBe('p1');
    expect(param('asOf')).toBe('2025-11-30');
    expect(param('milestone')).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Milestone: Moscow talks' })).toBeNull();

    await back();
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Milestone: Moscow talks' })).toBeTruthy());
    expect(param('point')).toBeNull();
  });

  it('its Close button closes it; an unknown milestone says so', async () => {
    renderApp('?n=demo&milestone=m6');
    expect(screen.getByRole('heading', { name: 'Milestone: Moscow talks' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Close the milestone' }));
    expect(param('milestone')).toBeNull();
    expect(screen.queryByRole('heading', { name: /^Milestone/ })).toBeNull();

    window.history.replaceState(null, '', '/?n=demo&milestone=nope');
    await act(async () => {
      window.dispatchEvent(new PopStateEvent('popstate'));
      await Promise.resolve();
    });
    expect(screen.getByText('This negotiation has no milestone “nope”.').getAttribute('role')).toBe('status');
  });
});
