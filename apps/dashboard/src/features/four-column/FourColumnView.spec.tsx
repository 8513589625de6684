import type { PlanDocument, Point } from '@parley/contracts';
import { compareDocuments } from '@parley/domain';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useUrlParams } from '../../shared/url-state';
import { planDocument, point } from '../../testing/fixtures';
import { serve, type Answer } from '../../testing/serve';
import { FourColumnView } from './FourColumnView';

const points: Point[] = [
  point('p1', 'p01', 'Ceasefire', [], 1),
  point('p2', 'p02', 'Army cap', [], 2),
  point('p3', 'p03', 'Guarantees', [], 3),
  point('p4', 'p04', 'Article-5 guarantees', [{ pointId: 'p3', kind: 'split' }], 4),
  point('p5', 'p05', 'Amnesty', [], 5),
];
const us = planDocument('d1', 'US draft', '2025-11-20', [
  ['p1', '1', 'Fighting stops when all sign.'],
  ['p2', '2', 'The army is capped at 600,000.'],
  ['p3', '3', 'Ukraine gets guarantees.'],
  ['p5', '4', 'Full amnesty for all.'],
]);
const e3 = planDocument('d2', 'E3 counter', '2025-11-23', [
  ['p1', '1', 'Fighting stops when all sign.'],
  ['p2', '2', 'The army is capped at 800,000.'],
  ['p3', '3', 'Ukraine gets robust guarantees.'],
]);
const p20 = planDocument('d3', '20 points', '2025-12-24', [
  ['p1', '1', 'Fighting stops when all sign.'],
  ['p4', '5', 'Article-5-like guarantees.'],
  ['p2', '6', 'The army is capped at 800,000.'],
  ['p5', '7', 'Amnesty for all.'],
]);

/** What the API's compare route answers: the domain's comparison of the pair (the API computes it so). */
function compared(a: PlanDocument, b: PlanDocument): Answer {
  const info = new Map(points.map((p) => [p.id, { title: p.title, derivedFrom: p.derivedFrom }]));
  return { status: 200, body: compareDocuments(a, b, info) };
}
const compareUrl = (a: string, b: string) => `GET /api/negotiations/demo/documents/compare?a=${a}&b=${b}`;

function Harness() {
  const [params, setParams] = useUrlParams();
  return <FourColumnView slug="demo" params={params} setParams={setParams} onOpenPoint={(p) => setParams({ point: p })} />;
}

function renderView(search: string) {
  window.history.replaceState(null, '', `/${search}`);
  const calls = serve({
    // Listed newest first: the view orders them by publication.
    'GET /api/negotiations/demo/documents': [{ status: 200, body: [p20, us, e3] }],
    'GET /api/negotiations/demo/points': [{ status: 200, body: points }],
    [compareUrl('d1', 'd2')]: [compared(us, e3)],
    [compareUrl('d2', 'd3')]: [compared(e3, p20)],
    [compareUrl('d1', 'd3')]: [compared(us, p20)],
  });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  render(
    <QueryClientProvider client={client}>
      <Harness />
    </QueryClientProvider>,
  );
  return calls;
}

const table = () => screen.getByRole('table', { name: /^Four-column view/ });
const bodyRows = () => within(table()).getAllByRole('row').slice(1);
const rowOf = (code: string) => bodyRows().find((r) => within(r).getByRole('rowheader').textContent?.startsWith(code))!;
const cellsOf = (code: string) => within(rowOf(code)).getAllByRole('cell');
const param = (key: string) => new URLSearchParams(window.location.search).get(key);

afterEach(() => window.history.replaceState(null, '', '/'));

describe('FourColumnView', () => {
  it('shows the documents as columns in publication order and the points as rows, in the first text’s order with split points after their parent', async () => {
    const calls = renderView('?view=columns');
    await waitFor(() => expect(table()).toBeTruthy());
    expect(within(table()).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Point', 'US draft2025-11-20', 'E3 counter2025-11-23', '20 points2025-12-24']);
    // The first column's order; p04, brought in by the last text, right after p03 it was split from.
    expect(bodyRows().map((r) => within(r).getByRole('rowheader').textContent?.slice(0, 3))).toEqual(['p01', 'p02', 'p03', 'p04', 'p05']);
    // Neighbouring pairs only: the API's compare is asked for d1–d2 and d2–d3.
    expect(calls.filter((c) => c.url.includes('/compare')).map((c) => c.url)).toEqual([
      '/api/negotiations/demo/documents/compare?a=d1&b=d2',
      '/api/negotiations/demo/documents/compare?a=d2&b=d3',
    ]);
  });

  it('marks each cell against the column before it: word diffs, renumbering, new, dropped, split from and into', async () => {
    renderView('?view=columns');
    await waitFor(() => expect(cellsOf('p02')[1]!.querySelector('ins')).not.toBeNull());
    const [first, second, third] = cellsOf('p02');
    expect(first!.textContent).toBe('2The army is capped at 600,000.');
    expect(second!.querySelector('del')?.textContent).toContain('600,000');
    expect(second!.querySelector('ins')?.textContent).toContain('800,000');
    expect(second!.getAttribute('data-status')).toBe('changed');
    expect(third!.getAttribute('data-status')).toBe('same');
    expect(third!.textContent).toContain('renumbered from 2');
    expect(third!.querySelector('ins, del')).toBeNull();

    // p03 is dropped by the 20 points, split into p04; p04 is new there, split from p03.
    expect(cellsOf('p03')[2]!.getAttribute('data-status')).toBe('dropped');
    expect(cellsOf('p03')[2]!.textContent).toBe('droppedsplit into p04');
    expect(cellsOf('p04')[2]!.textContent).toBe('5new in this textsplit from p03Article-5-like guarantees.');
    expect(within(rowOf('p04')).getByRole('rowheader').textContent).toContain('split from p03');
    // The amnesty: dropped by the E3 text, back in the 20 points, marked against the US text it was last in.
    expect(cellsOf('p05').map((c) => c.getAttribute('data-status'))).toEqual(['first', 'dropped', 'back']);
    const back = cellsOf('p05')[2]!;
    expect(back.textContent).toContain('renumbered from 4');
    expect(back.textContent).toContain('back, marked against US draft');
    expect(back.querySelector('del')?.textContent).toContain('Full');
  });

  it('shows only the documents published by the as-of day, and a chosen subset kept in the URL', async () => {
    const calls = renderView('?view=columns&asOf=2025-11-23');
    await waitFor(() => expect(table()).toBeTruthy());
    expect(within(table()).getAllByRole('columnheader')).toHaveLength(3);
    expect(screen.getByText('Documents (2 of 2)')).toBeTruthy();

    fireEvent.click(screen.getByRole('checkbox', { name: /US draft/ }));
    expect(param('docs')).toBe('d2');
    expect(within(table()).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Point', 'E3 counter2025-11-23']);
    // The last chosen document cannot be unticked.
    expect((screen.getByRole('checkbox', { name: /E3 counter/ }) as HTMLInputElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Show all' }));
    expect(param('docs')).toBeNull();
    expect(calls.some((c) => c.url.includes('b=d3'))).toBe(false);
  });

  it('shows only the documents the URL chooses, and compares the columns shown', async () => {
    const calls = renderView('?view=columns&docs=d1,d3');
    await waitFor(() => expect(within(table()).getAllByRole('columnheader')).toHaveLength(3));
    await waitFor(() => expect(cellsOf('p03')[1]!.getAttribute('data-status')).toBe('dropped'));
    expect(calls.filter((c) => c.url.includes('/compare')).map((c) => c.url)).toEqual(['/api/negotiations/demo/documents/compare?a=d1&b=d3']);
  });

  it('moves with the arrows and j k h l, opens the point with Enter and lists the keys with ?', async () => {
    renderView('?view=columns');
    await waitFor(() => expect(table()).toBeTruthy());
    const start = within(rowOf('p01')).getByRole('rowheader');
    await waitFor(() => expect(start.tabIndex).toBe(0));
    start.focus();
    fireEvent.keyDown(start, { key: 'j' });
    expect(document.activeElement).toBe(within(rowOf('p02')).getByRole('rowheader'));
    fireEvent.keyDown(document.activeElement!, { key: 'l' });
    expect(document.activeElement).toBe(cellsOf('p02')[0]);
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(cellsOf('p03')[1]);
    fireEvent.keyDown(document.activeElement!, { key: 'k' });
    fireEvent.keyDown(document.activeElement!, { key: 'h' });
    expect(document.activeElement).toBe(cellsOf('p02')[0]);
    // One element of the grid is in the tab order: the one last reached.
    expect(within(table()).getAllByRole('cell').filter((c) => c.tabIndex === 0)).toEqual([cellsOf('p02')[0]]);

    fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    expect(param('point')).toBe('p2');

    fireEvent.keyDown(document.activeElement!, { key: '?' });
    const help = screen.getByRole('dialog', { name: 'Keys of the four-column view' });
    expect(within(help).getByText("open the point's drawer (its stances and texts)")).toBeTruthy();
    fireEvent.keyDown(help, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('opens a point from its name with the mouse', async () => {
    renderView('?view=columns');
    await waitFor(() => expect(table()).toBeTruthy());
    fireEvent.click(within(rowOf('p03')).getByRole('rowheader'));
    expect(param('point')).toBe('p3');
  });
});
