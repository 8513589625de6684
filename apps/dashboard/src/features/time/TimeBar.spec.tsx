import type { Milestone } from '@parley/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { useUrlParams } from '../../shared/url-state';
import { matrixView, row, stance } from '../../testing/fixtures';
import { TimeBar } from './TimeBar';
import { STEP_MS } from './use-playback';

function milestone(id: string, title: string, startsAt: string): Milestone {
  return {
    id,
    negotiationId: 'neg-1',
    title,
    kind: 'meeting',
    startsAt: `${startsAt}T00:00:00.000Z`,
    startsPrecision: 'day',
    endsAt: null,
    description: '',
    sourceUrl: null,
    partyIds: [],
    version: 1,
    createdAt: '2025-11-20T00:00:00.000Z',
    updatedAt: '2025-11-20T00:00:00.000Z',
  };
}

const parties = [{ id: 'ua', code: 'UA', name: 'Ukraine', color: '#0057b7', parentId: null }];
// Milestones on the 20th and 22nd; the latest stance is effective on the 24th: the replay runs 20 → 24.
const now = matrixView([row('p1', 'P1', 'One', { ua: 'accept' })], parties);
now.rows[0]!.cells['ua']!.stance = stance('accept', { partyId: 'ua', pointId: 'p1', effectiveAt: '2025-11-24T00:00:00.000Z' });

function Harness() {
  const [params, setParams] = useUrlParams();
  return <TimeBar slug="s" params={params} setParams={setParams} />;
}

function renderBar() {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  client.setQueryData(['milestones', 's'], [milestone('m2', 'Geneva talks', '2025-11-22'), milestone('m1', 'Draft leaked', '2025-11-20')]);
  client.setQueryData(['matrix', 's', null], now);
  // No network in component tests: the replay's prefetch of the next day fails quietly.
  globalThis.fetch = jest.fn(() => Promise.reject(new Error('no network in tests'))) as typeof fetch;
  return render(
    <QueryClientProvider client={client}>
      <Harness />
    </QueryClientProvider>,
  );
}

const asOf = () => new URLSearchParams(window.location.search).get('asOf');
const step = (n = 1) => act(() => void jest.advanceTimersByTime(STEP_MS * n));

describe('TimeBar', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    window.history.replaceState(null, '', '/');
  });

  it('plays day by day from the first milestone to the last stance, then stops on its own', () => {
    renderBar();
    expect(asOf()).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Play' }));
    expect(asOf()).toBe('2025-11-20');
    expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy();

    step();
    expect(asOf()).toBe('2025-11-21');
    expect(screen.getByTestId('timebar-date').textContent).toContain('2025-11-21');
    step();
    expect(asOf()).toBe('2025-11-22');
    expect(screen.getByTestId('timebar-date').textContent).toContain('last milestone: Geneva talks');
    step(2);
    expect(asOf()).toBe('2025-11-24');
    // The end: no more steps, and Play is offered again.
    expect(screen.getByRole('button', { name: 'Play' })).toBeTruthy();
    step(5);
    expect(asOf()).toBe('2025-11-24');
  });

  it('pauses where it is, resumes from there, and Stop goes back to the day shown before Play', () => {
    window.history.replaceState(null, '', '/?asOf=2025-12-01');
    renderBar();
    fireEvent.click(screen.getByRole('button', { name: 'Play' }));
    expect(asOf()).toBe('2025-11-20');
    step();
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    step(3);
    expect(asOf()).toBe('2025-11-21');

    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    expect(asOf()).toBe('2025-11-21');
    step();
    expect(asOf()).toBe('2025-11-22');

    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    expect(asOf()).toBe('2025-12-01');
    step(3);
    expect(asOf()).toBe('2025-12-01');
    expect((screen.getByRole('button', { name: 'Stop' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('sets the day from the slider (its last stop is "now") and from a milestone marker, which opens the milestone', () => {
    renderBar();
    const slider = screen.getByRole('slider', { name: 'Date' }) as HTMLInputElement;
    // 20 … 24 are positions 0 … 4; position 5 is "now".
    expect(slider.max).toBe('5');
    expect(slider.value).toBe('5');
    fireEvent.change(slider, { target: { value: '2' } });
    expect(asOf()).toBe('2025-11-22');
    expect(slider.getAttribute('aria-valuetext')).toBe('2025-11-22');
    fireEvent.change(slider, { target: { value: '5' } });
    expect(asOf()).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: '2025-11-20: Draft leaked' }));
    expect(asOf()).toBe('2025-11-20');
    // The marker also opens the milestone's page.
    expect(new URLSearchParams(window.location.search).get('milestone')).toBe('m1');
    expect(screen.getByRole('button', { name: '2025-11-20: Draft leaked' }).getAttribute('aria-current')).toBe('page');
  });

  it('writes "known at" into the URL when toggled, changes it with its date, and removes it', () => {
    window.history.replaceState(null, '', '/?asOf=2025-11-22');
    renderBar();
    const toggle = screen.getByRole('checkbox', { name: 'Known at' });
    expect(screen.queryByLabelText('Known at date')).toBeNull();
    fireEvent.click(toggle);
    expect(new URLSearchParams(window.location.search).get('knownAt')).toBe('2025-11-22');
    fireEvent.change(screen.getByLabelText('Known at date'), { target: { value: '2025-11-23' } });
    expect(new URLSearchParams(window.location.search).get('knownAt')).toBe('2025-11-23');
    fireEvent.click(toggle);
    expect(new URLSearchParams(window.location.search).has('knownAt')).toBe(false);
    expect(asOf()).toBe('2025-11-22');
  });
});
