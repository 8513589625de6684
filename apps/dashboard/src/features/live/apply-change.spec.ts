import type { ChangeEntry, ChangeKind, ChangePayloads, Milestone, MatrixView, Party } from '@parley/contracts';
import { QueryClient } from '@tanstack/react-query';
import { matrixView, row, stance } from '../../testing/fixtures';
import { applyChange } from './apply-change';
import { CellFlashStore } from './flash-store';

const parties = [{ id: 'ua', code: 'UA', name: 'Ukraine', color: '#0057b7', parentId: null }];

function entry<K extends ChangeKind>(kind: K, data: ChangePayloads[K], seq = 43): ChangeEntry<K> {
  return { negotiationId: 'neg-1', seq, kind, entityId: 'e', recordedAt: '2025-11-22T00:00:00.000Z', recordedBy: 'a', data };
}

const at = '2025-11-22T00:00:00.000Z';
const party: Party = { id: 'ua', negotiationId: 'neg-1', code: 'UA', name: 'Ukraine', kind: 'state', color: '#0057b7', parentId: null, description: '', sortOrder: 0, actors: [], version: 2, createdAt: at, updatedAt: at };
const milestone: Milestone = { id: 'm1', negotiationId: 'neg-1', title: 'Geneva talks', kind: 'meeting', startsAt: at, startsPrecision: 'day', endsAt: null, description: '', sourceUrl: null, partyIds: ['ua'], version: 1, createdAt: at, updatedAt: at };

describe('applyChange', () => {
  let client: QueryClient;
  beforeEach(() => {
    client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
    client.setQueryData(['matrix', 's', null], matrixView([row('p1', 'P1', 'One', { ua: 'accept' })], parties));
    client.setQueryData(['matrix', 's', '2025-11-21'], matrixView([row('p1', 'P1', 'One', { ua: 'accept' })], parties));
    client.setQueryData(['parties', 's'], []);
    client.setQueryData(['point-history', 's', 'p1', null], {});
  });
  afterEach(() => client.clear());

  it('patches the "now" matrix, flashes the cell, and marks the dated matrix and derived views stale', () => {
    const flash = new CellFlashStore();
    const cell = { partyId: 'ua', pointId: 'p1', version: 2, current: stance('reject', { partyId: 'ua', pointId: 'p1' }) };
    applyChange(client, 's', entry('stance.recorded', { event: cell.current, cell }), flash);
    const now = client.getQueryData<MatrixView>(['matrix', 's', null])!;
    expect(now.rows[0]!.cells['ua']!.stance?.position).toBe('reject');
    expect(now.seq).toBe(43);
    expect(flash.flashToken(CellFlashStore.key('p1', 'ua'))).toBeGreaterThan(0);
    expect(client.getQueryState(['matrix', 's', '2025-11-21'])!.isInvalidated).toBe(true);
    expect(client.getQueryState(['point-history', 's', 'p1', null])!.isInvalidated).toBe(true);
    expect(client.getQueryState(['parties', 's'])!.isInvalidated).toBe(false);
    flash.clear();
  });

  it('reloads the sources (their citation counts) once after a burst of stances citing one, not for a stance citing none', () => {
    jest.useFakeTimers();
    try {
      client.setQueryData(['sources', 's'], new Map());
      const cited = (position: 'accept' | 'reject', sourceId: string | null) => {
        const current = stance(position, { partyId: 'ua', pointId: 'p1', source: { id: sourceId, kind: null, url: null, outlet: null, title: null, publishedAt: null, language: null, description: null } });
        return entry('stance.recorded', { event: current, cell: { partyId: 'ua', pointId: 'p1', version: 2, current } });
      };
      applyChange(client, 's', cited('reject', null));
      jest.advanceTimersByTime(1_000);
      expect(client.getQueryState(['sources', 's'])!.isInvalidated).toBe(false);
      applyChange(client, 's', cited('accept', 'src-1'));
      applyChange(client, 's', cited('reject', 'src-2'));
      expect(client.getQueryState(['sources', 's'])!.isInvalidated).toBe(false);
      const invalidate = jest.spyOn(client, 'invalidateQueries');
      jest.advanceTimersByTime(500);
      expect(client.getQueryState(['sources', 's'])!.isInvalidated).toBe(true);
      expect(invalidate.mock.calls.filter(([f]) => JSON.stringify(f?.queryKey) === '["sources","s"]')).toHaveLength(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('applies a correction (retraction and new stance in one change) in one step: the cell goes straight from the old stance to the new one', () => {
    const flash = new CellFlashStore();
    const seen: (string | undefined)[] = [];
    const unsubscribe = client.getQueryCache().subscribe((e) => {
      if (e.type === 'updated' && JSON.stringify(e.query.queryKey) === '["matrix","s",null]') {
        seen.push((e.query.state.data as MatrixView).rows[0]!.cells['ua']!.stance?.position);
      }
    });
    const old = stance('accept', { partyId: 'ua', pointId: 'p1' });
    const retracted = { ...old, retraction: { id: 'r1', seq: 44, reason: 'misquoted', recordedAt: at, recordedBy: 'a' } };
    const current = stance('reject', { id: 'e-new', partyId: 'ua', pointId: 'p1', seq: 44 });
    applyChange(client, 's', entry('stance.corrected', { retracted, event: current, cell: { partyId: 'ua', pointId: 'p1', version: 3, current } }, 44), flash);
    unsubscribe();
    const now = client.getQueryData<MatrixView>(['matrix', 's', null])!;
    expect(now.rows[0]!.cells['ua']).toMatchObject({ version: 3, stance: { id: 'e-new', position: 'reject' } });
    expect(now.seq).toBe(44);
    // One update of the "now" matrix, never the cell without a stance (the state between).
    expect(seen).toEqual(['reject']);
    expect(client.getQueryState(['point-history', 's', 'p1', null])!.isInvalidated).toBe(true);
    flash.clear();
  });

  it('marks the list and the matrix stale for a party change, and only the list for a milestone', () => {
    applyChange(client, 's', entry('milestone.created', milestone));
    expect(client.getQueryState(['matrix', 's', null])!.isInvalidated).toBe(false);
    applyChange(client, 's', entry('party.updated', party));
    expect(client.getQueryState(['parties', 's'])!.isInvalidated).toBe(true);
    expect(client.getQueryState(['matrix', 's', null])!.isInvalidated).toBe(true);
  });
});
