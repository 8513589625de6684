import type { StanceEvent } from '@parley/contracts';
import { render } from '@testing-library/react';
import { stance } from '../../testing/fixtures';
import { MatrixCell } from './MatrixCell';
import { POSITION_SWATCH } from '../../shared/palette';

/** Renders one cell inside a valid table and returns its <td>. */
function renderCell(s: StanceEvent | null, pointCodes?: ReadonlyMap<string, string>): HTMLTableCellElement {
  const { container } = render(
    <table>
      <tbody>
        <tr>
          <MatrixCell stance={s} pointCodes={pointCodes} />
        </tr>
      </tbody>
    </table>,
  );
  const td = container.querySelector('td');
  if (!td) throw new Error('no <td> rendered');
  return td;
}

/** jsdom reports inline colours as rgb(); compare through the same normalisation. */
function rgb(hex: string): string {
  const probe = document.createElement('div');
  probe.style.color = hex;
  return probe.style.color;
}

describe('MatrixCell', () => {
  it.each([
    ['accept', 'Accept'],
    ['conditional', 'Conditional'],
    ['amend', 'Amend'],
    ['unclear', 'Unclear'],
    ['reject', 'Reject'],
    ['red_line', 'Red line'],
  ] as const)('shows %s as the label "%s" and its palette colour', (position, label) => {
    const td = renderCell(stance(position));
    expect(td.textContent).toBe(label);
    expect(td.style.backgroundColor).toBe(rgb(POSITION_SWATCH[position].background));
    expect(td.style.color).toBe(rgb(POSITION_SWATCH[position].color));
    expect(td.dataset['position']).toBe(position);
  });

  it('shows a scheduled position that has not taken effect yet as such, and in force once its day has come', () => {
    const ahead = renderCell(stance('reject', { effectiveAt: '2999-02-01T00:00:00.000Z', recordedAt: '2025-11-22T09:00:00.000Z', scheduled: true }));
    expect(ahead.textContent).toBe('Reject, scheduled from 2999-02-01');
    expect(ahead.title).toContain('Reject (official) scheduled from 2999-02-01');
    expect(ahead.dataset['scheduled']).toBe('');
    const past = renderCell(stance('reject', { effectiveAt: '2025-12-01T00:00:00.000Z', recordedAt: '2025-11-22T09:00:00.000Z', scheduled: true }));
    expect(past.textContent).toBe('Reject');
    expect(past.title).toContain('Reject (official) since 2025-12-01');
  });

  it('gives every position a different background', () => {
    const backgrounds = Object.values(POSITION_SWATCH).map((s) => s.background.toLowerCase());
    expect(new Set(backgrounds).size).toBe(backgrounds.length);
  });

  it('shows an em dash, a hatched class and no palette colour when there is no stated position', () => {
    const td = renderCell(null);
    expect(td.textContent).toContain('—');
    expect(td.textContent).toContain('No stated position');
    expect(td.className).toContain('cell--empty');
    expect(td.style.backgroundColor).toBe('');
    expect(td.dataset['position']).toBe('none');
  });

  it('makes "no position" look different from "Unclear"', () => {
    const empty = renderCell(null);
    const unclear = renderCell(stance('unclear'));
    expect(unclear.textContent).toBe('Unclear');
    expect(empty.textContent).not.toContain('Unclear');
    expect(empty.className).not.toBe(unclear.className);
    expect(empty.style.backgroundColor).not.toBe(unclear.style.backgroundColor);
    expect(unclear.title).toMatch(/^Unclear/);
    expect(empty.title).toBe('No stated position');
  });

  it('marks conditions with "*" and puts the condition text in a tooltip', () => {
    const td = renderCell(stance('conditional', { conditions: { text: 'Only after a ceasefire', pointIds: [] } }));
    const marker = td.querySelector('.cell__cond');
    expect(marker).not.toBeNull();
    expect(marker?.textContent).toContain('*');
    expect(marker?.getAttribute('title')).toBe('Condition: Only after a ceasefire');
    // Screen readers get the condition too, not only a bare asterisk.
    expect(td.textContent).toContain('condition: Only after a ceasefire');
    expect(td.title).toContain('Condition: Only after a ceasefire');
  });

  it('names the points a condition depends on by their codes', () => {
    const td = renderCell(
      stance('conditional', { conditions: { text: null, pointIds: ['p-9', 'p-unknown'] } }),
      new Map([['p-9', 'P9']]),
    );
    expect(td.querySelector('.cell__cond')?.getAttribute('title')).toBe('Condition: Depends on P9, p-unknown');
  });

  it('has no condition marker when the stance has no conditions', () => {
    const td = renderCell(stance('accept'));
    expect(td.querySelector('.cell__cond')).toBeNull();
    expect(td.textContent).not.toContain('*');
  });

  it('shows the confidence when it is not official, and the source in the tooltip', () => {
    const td = renderCell(stance('reject', { confidence: 'leaked' }));
    expect(td.textContent).toBe('Rejectleaked');
    expect(td.title).toContain('Reject (leaked) since 2025-11-21');
    expect(td.title).toContain('Source: News report: Reuters');
  });
});
