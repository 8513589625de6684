import { matrixView, row, stance } from '../../testing/fixtures';
import { applyCellUpdate, isCurrentMatrixKey, mergeCorroboration } from './matrix-cache';

const parties = [
  { id: 'ua', code: 'UA', name: 'Ukraine', color: '#0057b7', parentId: null },
  { id: 'ru', code: 'RU', name: 'Russia', color: '#d52b1e', parentId: null },
];
const view = () =>
  matrixView([row('p1', 'P1', 'One', { ua: 'accept', ru: 'accept' }), row('p2', 'P2', 'Two', { ua: 'reject', ru: null })], parties);

describe('applyCellUpdate', () => {
  it('replaces only the changed cell and row, keeping every other object', () => {
    const before = view();
    const after = applyCellUpdate(before, { partyId: 'ru', pointId: 'p1', version: 2, current: stance('red_line', { partyId: 'ru', pointId: 'p1' }) }, 50);
    expect(after).not.toBeNull();
    expect(after).not.toBe(before);
    expect(after!.seq).toBe(50);
    expect(after!.parties).toBe(before.parties);
    expect(after!.rows[1]).toBe(before.rows[1]);
    expect(after!.rows[0]).not.toBe(before.rows[0]);
    expect(after!.rows[0]!.cells['ua']).toBe(before.rows[0]!.cells['ua']);
    expect(after!.rows[0]!.cells['ru']).toEqual({ version: 2, stance: expect.objectContaining({ position: 'red_line' }), corroboration: { outlets: 1, sources: 1, corroborated: false } });
    // The row summary follows the new cell.
    expect(after!.rows[0]!.summary).toMatchObject({ agreed: false, blocked: true, spread: 4 });
    expect(before.rows[0]!.cells['ru']!.version).toBe(1);
  });

  it('fills an empty cell and ignores an update that is not newer than the cell', () => {
    const before = view();
    const filled = applyCellUpdate(before, { partyId: 'ru', pointId: 'p2', version: 1, current: stance('accept') });
    expect(filled!.rows[1]!.cells['ru']!.stance?.position).toBe('accept');
    const stale = applyCellUpdate(before, { partyId: 'ua', pointId: 'p1', version: 1, current: stance('reject') });
    expect(stale).toBe(before);
  });

  it('keeps a retracted cell as "no stated position" with its new version', () => {
    const after = applyCellUpdate(view(), { partyId: 'ua', pointId: 'p2', version: 2, current: null });
    expect(after!.rows[1]!.cells['ua']).toEqual({ version: 2, stance: null, corroboration: { outlets: 0, sources: 0, corroborated: false } });
    expect(after!.rows[1]!.summary.stated).toBe(0);
  });

  it('returns null for a point or party the matrix does not have (reload it)', () => {
    expect(applyCellUpdate(view(), { partyId: 'us', pointId: 'p1', version: 1, current: null })).toBeNull();
    expect(applyCellUpdate(view(), { partyId: 'ua', pointId: 'p9', version: 1, current: null })).toBeNull();
  });
});

describe('isCurrentMatrixKey', () => {
  it('is true only without a time parameter', () => {
    expect(isCurrentMatrixKey(['matrix', 's', null], 's')).toBe(true);
    expect(isCurrentMatrixKey(['matrix', 's', null, null], 's')).toBe(true);
    expect(isCurrentMatrixKey(['matrix', 's', '2025-11-22'], 's')).toBe(false);
    expect(isCurrentMatrixKey(['matrix', 's', null, '2025-11-22'], 's')).toBe(false);
    expect(isCurrentMatrixKey(['matrix', 'other', null], 's')).toBe(false);
    expect(isCurrentMatrixKey(['matrix', 's', null, null, { documentId: 'd1' }], 's')).toBe(true);
    expect(isCurrentMatrixKey(['matrix', 's', '2025-11-22', null, { documentId: 'd1' }], 's')).toBe(false);
  });
});

describe('corroboration of a live-updated cell', () => {
  const corroborated = { outlets: 2, sources: 3, corroborated: true };
  const withCorroborated = () => {
    const v = view();
    v.rows[0]!.cells['ua'] = { ...v.rows[0]!.cells['ua']!, corroboration: corroborated };
    return v;
  };

  it('keeps the count while the position holds, and counts the one event in force when it changes, until the matrix is read again', () => {
    const same = applyCellUpdate(withCorroborated(), { partyId: 'ua', pointId: 'p1', version: 2, current: stance('accept', { partyId: 'ua', pointId: 'p1' }) });
    expect(same!.rows[0]!.cells['ua']!.corroboration).toEqual(corroborated);
    const other = applyCellUpdate(withCorroborated(), {
      partyId: 'ua',
      pointId: 'p1',
      version: 2,
      current: stance('reject', { partyId: 'ua', pointId: 'p1', source: { id: 'doc', kind: 'document', url: null, outlet: null, title: 'A plan', publishedAt: null, language: null, description: null } }),
    });
    expect(other!.rows[0]!.cells['ua']!.corroboration).toEqual({ outlets: 0, sources: 1, corroborated: false });
  });

  it('takes a read matrix\'s corroboration only for cells at the same version, keeping every other object', () => {
    const cached = view();
    const read = withCorroborated();
    read.rows[1]!.cells['ua'] = { ...read.rows[1]!.cells['ua']!, version: 5, corroboration: corroborated };
    const merged = mergeCorroboration(cached, read);
    expect(merged.rows[0]!.cells['ua']!.corroboration).toEqual(corroborated);
    expect(merged.rows[0]!.cells['ru']).toBe(cached.rows[0]!.cells['ru']);
    // Read at another version than the one cached: left for the next read.
    expect(merged.rows[1]).toBe(cached.rows[1]);
    expect(mergeCorroboration(merged, read)).toBe(merged);
  });
});
