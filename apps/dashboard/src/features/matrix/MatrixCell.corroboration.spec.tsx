import type { Corroboration } from '@parley/contracts';
import { render, screen } from '@testing-library/react';
import { stance } from '../../testing/fixtures';
import { corroborationText } from '../../shared/cell-format';
import { MatrixCell } from './MatrixCell';

function renderCell(corroboration: Corroboration, onEdit?: () => void): HTMLTableCellElement {
  const { container } = render(
    <table>
      <tbody>
        <tr>
          <MatrixCell stance={stance('reject')} corroboration={corroboration} name="Russia on P7" onEdit={onEdit} />
        </tr>
      </tbody>
    </table>,
  );
  const td = container.querySelector('td');
  if (!td) throw new Error('no <td> rendered');
  return td;
}

describe('MatrixCell corroboration', () => {
  it('marks a corroborated stance with the outlets count, in its text, tooltip and button name', () => {
    const td = renderCell({ outlets: 3, sources: 4, corroborated: true }, () => undefined);
    expect(td.dataset['corroborated']).toBe('');
    expect(td.querySelector('.cell__corr')?.textContent).toBe('✓3, corroborated by 3 independent outlets');
    expect(td.title).toContain('Support: corroborated by 3 independent outlets');
    expect(screen.getByRole('button', { name: 'Russia on P7: Reject, corroborated by 3 independent outlets' })).toBeTruthy();
  });

  it('gives no mark to a single outlet, saying so in the tooltip only', () => {
    const td = renderCell({ outlets: 1, sources: 2, corroborated: false }, () => undefined);
    expect(td.dataset['corroborated']).toBeUndefined();
    expect(td.querySelector('.cell__corr')).toBeNull();
    expect(td.title).toContain('Support: single outlet (2 sources)');
    expect(screen.getByRole('button', { name: 'Russia on P7: Reject' })).toBeTruthy();
  });
});

describe('corroborationText', () => {
  it.each([
    [{ outlets: 2, sources: 2, corroborated: true }, 'corroborated by 2 independent outlets'],
    [{ outlets: 1, sources: 1, corroborated: false }, 'single source'],
    [{ outlets: 0, sources: 1, corroborated: false }, 'single source'],
    [{ outlets: 1, sources: 3, corroborated: false }, 'single outlet (3 sources)'],
    [{ outlets: 0, sources: 2, corroborated: false }, '2 sources, none naming an outlet'],
    [{ outlets: 0, sources: 0, corroborated: false }, 'no source cited'],
  ])('says %j as "%s"', (c, text) => {
    expect(corroborationText(c)).toBe(text);
  });
});
