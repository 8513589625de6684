import '../../testing/resize-observer';
import type { ConvergencePoint } from '@parley/contracts';
import { render, screen, within } from '@testing-library/react';
import { ConvergenceChart } from './ConvergenceChart';
import { DistanceHeatmap, distanceColor } from './DistanceHeatmap';
import { AgreedClaim } from './TrendsPanel';
import { metricsPath } from './use-trends';

const series: ConvergencePoint[] = [
  { date: '2025-11-20T23:59:59.999Z', agreed: 1, blocked: 3, addressed: 10, points: 28 },
  { date: '2025-11-21T23:59:59.999Z', agreed: 4, blocked: 2, addressed: 15, points: 28 },
  { date: '2025-11-22T23:59:59.999Z', agreed: 9, blocked: 1, addressed: 20, points: 28 },
];
const milestones = [
  { id: 'm1', title: 'US draft leaked', startsAt: '2025-11-20T09:00:00.000Z' },
  { id: 'm2', title: 'Geneva talks', startsAt: '2025-11-23T10:00:00.000Z' },
];

describe('ConvergenceChart', () => {
  it('draws the agreed, blocked and addressed series with the milestones as labelled lines', () => {
    const { container } = render(<ConvergenceChart series={series} milestones={milestones} asOf="2025-11-21" />);
    const lines = container.querySelectorAll('.recharts-line-curve');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+/);
    expect(container.querySelectorAll('.recharts-area-area')).toHaveLength(1);
    // Two milestones and the as-of day, each a reference line; milestones numbered and listed below.
    expect(container.querySelectorAll('.recharts-reference-line')).toHaveLength(3);
    const listed = within(screen.getByRole('list', { name: 'Milestones' })).getAllByRole('listitem');
    expect(listed.map((li) => li.textContent)).toEqual(['2025-11-20 US draft leaked', '2025-11-23 Geneva talks']);
    expect(screen.getByText('as of 2025-11-21')).toBeTruthy();
    expect(screen.getByRole('img').getAttribute('aria-label')).toContain('9 of 28 points agreed, 1 blocked');
  });

  it('has the data as a table too', () => {
    render(<ConvergenceChart series={series} milestones={[]} asOf={null} />);
    const row = screen.getByRole('row', { name: /2025-11-21/ });
    expect(within(row).getAllByRole('cell').map((c) => c.textContent)).toEqual(['4', '2', '15', '28']);
  });
});

describe('metricsPath', () => {
  it('leaves the step to the server, which picks one that fits any history', () => {
    const path = metricsPath('demo', { from: null, to: '2026-12-07', asOf: '2026-12-01', knownAt: null });
    expect(path).toBe('/negotiations/demo/metrics?to=2026-12-07&asOf=2026-12-01');
  });
});

describe('ConvergenceChart with a coarser step', () => {
  it('says what each point of the curve stands for', () => {
    render(<ConvergenceChart series={series} milestones={[]} asOf={null} step="week" />);
    expect(screen.getByText(/addressed by at least one party \(shaded\), each week;/)).toBeTruthy();
  });
});

describe('AgreedClaim', () => {
  it('states the share agreed at the selected date', () => {
    render(<AgreedClaim totals={{ points: 20, agreed: 9, blocked: 2, agreedShare: 0.45 }} asOf="2025-11-25" />);
    expect(screen.getByTestId('agreed-claim').textContent).toBe('As of 2025-11-25: 45% agreed (9 of 20 points), 2 blocked.');
  });
});

describe('DistanceHeatmap', () => {
  const parties = [
    { id: 'ru', code: 'RU', name: 'Russia' },
    { id: 'ua', code: 'UA', name: 'Ukraine' },
    { id: 'us', code: 'US', name: 'United States' },
  ];

  it('shows each distance as a number on a colour scale, both ways, and null as "no shared points"', () => {
    render(
      <DistanceHeatmap
        parties={parties}
        distances={[
          { a: 'ru', b: 'ua', distance: 3.25, sharedPoints: 12 },
          { a: 'ua', b: 'us', distance: 0.5, sharedPoints: 10 },
          { a: 'ru', b: 'us', distance: null, sharedPoints: 0 },
        ]}
      />,
    );
    const russia = screen.getByRole('row', { name: /^Russia/ });
    const cells = within(russia).getAllByRole('cell');
    expect(cells.map((c) => c.textContent)).toEqual(['·same party', '3.3', 'no shared points']);
    const ukraine = within(screen.getByRole('row', { name: /^Ukraine/ })).getAllByRole('cell');
    expect(ukraine.map((c) => c.textContent)).toEqual(['3.3', '·same party', '0.5']);
    expect(ukraine[0]!.style.backgroundColor).not.toBe('');
    expect(ukraine[0]!.style.backgroundColor).not.toBe(ukraine[2]!.style.backgroundColor);
    expect(ukraine[0]!.title).toContain('12 shared points');
  });

  it('runs the colour scale from blue (close) to red (far)', () => {
    expect(distanceColor(0).background).toBe('rgb(33, 102, 172)');
    expect(distanceColor(4).background).toBe('rgb(178, 24, 43)');
    expect(distanceColor(2).color).toBe('#1b1f24');
  });
});
