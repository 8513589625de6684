import { row } from '../../testing/fixtures';
import { summaryOver } from './summary';

describe('summaryOver', () => {
  const blockedByRussia = row('p1', 'P1', 'Ceasefire', { ua: 'accept', us: 'conditional', ru: 'red_line' });

  it('counts only the given parties: a red line in a hidden column neither blocks nor widens the spread', () => {
    expect(blockedByRussia.summary).toMatchObject({ agreed: false, blocked: true, spread: 4 });
    const shown = summaryOver(['ua', 'us'])(blockedByRussia);
    expect(shown.summary).toMatchObject({ agreed: true, blocked: false, spread: 1, stated: 2, silent: [] });
    expect(shown.cells).toBe(blockedByRussia.cells);
  });

  it('reports the shown parties without a position as silent, and no spread when none of them has one', () => {
    const shown = summaryOver(['ua', 'gb'])(row('p2', 'P2', 'Sanctions', { ua: null, ru: 'reject' }));
    expect(shown.summary).toMatchObject({ agreed: false, blocked: false, spread: null, stated: 0, silent: ['ua', 'gb'] });
  });

  it('returns the same object for the same row, so memoized rows are not re-rendered', () => {
    const over = summaryOver(['ua']);
    const a = row('p3', 'P3', 'Prisoners', { ua: 'accept' });
    const b = row('p4', 'P4', 'Elections', { ua: 'reject' });
    expect(over(a)).toBe(over(a));
    expect(over(b)).not.toBe(over(a));
  });
});
