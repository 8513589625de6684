import type { MatrixRow, MatrixView, Position, StanceEvent } from '@parley/contracts';
import { NO_CORROBORATION } from './corroboration';
import { filterMatrix, partyCodes, rowStatus, searchTerms } from './matrix-filter';
import { pointMetrics } from './metrics';

const PARTIES: MatrixView['parties'] = ['RU', 'UA', 'US'].map((code) => ({ id: code.toLowerCase(), code, name: code, color: '#000000', parentId: null }));

function row(code: string, title: string, category: MatrixRow['point']['category'], cells: Record<string, Position>, text: string | null = null): MatrixRow {
  const id = `pt-${code}`;
  const stance = (position: Position) => ({ position }) as StanceEvent;
  const ids = PARTIES.map((p) => p.id);
  return {
    point: { id, code, title, category },
    number: null,
    text,
    cells: Object.fromEntries(Object.entries(cells).map(([party, position]) => [party, { version: 1, stance: stance(position), corroboration: NO_CORROBORATION }])),
    summary: pointMetrics(id, ids, new Map(Object.entries(cells))),
  };
}

const VIEW = {
  parties: PARTIES,
  rows: [
    row('p07', 'Ukraine renounces NATO membership', 'political', { ru: 'red_line', ua: 'conditional', us: 'accept' }),
    row('p21', 'Territory and the line of contact', 'territory', { ua: 'accept', us: 'accept' }, 'Donetsk, Luhansk and Crimea'),
    row('p30', 'Genève talks', 'territory', {}),
  ],
};

describe('filterMatrix', () => {
  it('recomputes each summary over the parties shown: hiding the one red line unblocks the point', () => {
    expect(rowStatus(VIEW.rows[0].summary)).toBe('blocked');
    const { parties, rows } = filterMatrix(VIEW, { parties: ['UA', 'US'] });
    expect(parties.map((p) => p.code)).toEqual(['UA', 'US']);
    expect(Object.keys(rows[0].cells)).toEqual(['ua', 'us']);
    expect(rows[0].summary).toMatchObject({ agreed: true, blocked: false, stated: 2, silent: [] });
    expect(rowStatus(rows[0].summary)).toBe('agreed');
  });

  it('filters by category and by row status after the party filter', () => {
    expect(filterMatrix(VIEW, { category: 'territory' }).rows.map((r) => r.point.code)).toEqual(['p21', 'p30']);
    expect(filterMatrix(VIEW, { status: 'blocked' }).rows.map((r) => r.point.code)).toEqual(['p07']);
    expect(filterMatrix(VIEW, { status: 'agreed', parties: ['UA', 'US'] }).rows.map((r) => r.point.code)).toEqual(['p07', 'p21']);
    expect(filterMatrix(VIEW, { status: 'none' }).rows.map((r) => r.point.code)).toEqual(['p30']);
  });

  it('searches code, title and provision text for every word, ignoring case and accents', () => {
    expect(filterMatrix(VIEW, { q: 'crimea DONETSK' }).rows.map((r) => r.point.code)).toEqual(['p21']);
    expect(filterMatrix(VIEW, { q: 'geneve' }).rows.map((r) => r.point.code)).toEqual(['p30']);
    expect(filterMatrix(VIEW, { q: 'nato crimea' }).rows).toEqual([]);
  });

  it('keeps the same row objects when no party filter applies', () => {
    expect(filterMatrix(VIEW, {}).rows[1]).toBe(VIEW.rows[1]);
  });
});

describe('filter parameters', () => {
  it('reads party codes from a comma-separated list; empty means all', () => {
    expect(partyCodes(' UA, RU ,,')).toEqual(['UA', 'RU']);
    expect(partyCodes('')).toBeNull();
    expect(partyCodes(',')).toBeNull();
    expect(searchTerms('  Donbas   zone ')).toEqual(['donbas', 'zone']);
  });
});
