import type { MatrixView } from '@parley/contracts';
import { QueryClient } from '@tanstack/react-query';
import { matrixView, row } from '../../testing/fixtures';
import { refreshCorroboration, scheduleCorroborationRefresh } from './corroboration-refresh';

const parties = [{ id: 'ua', code: 'UA', name: 'Ukraine', color: '#0057b7', parentId: null }];
const view = (): MatrixView => matrixView([row('p1', 'P1', 'One', { ua: 'accept' })], parties);
const corroborated = { outlets: 2, sources: 2, corroborated: true };
const readWith = (): MatrixView => {
  const v = view();
  v.rows[0]!.cells['ua'] = { ...v.rows[0]!.cells['ua']!, corroboration: corroborated };
  return v;
};

describe('corroboration refresh after live changes', () => {
  afterEach(() => jest.useRealTimers());

  it('merges a read matrix into every cached "now" matrix of the negotiation, not into one at a date', async () => {
    const client = new QueryClient();
    client.setQueryData(['matrix', 'demo', null], view());
    client.setQueryData(['matrix', 'demo', null, null, { documentId: 'd1' }], view());
    client.setQueryData(['matrix', 'demo', '2025-11-22'], view());
    await refreshCorroboration(client, 'demo', async () => readWith());
    const at = (key: unknown[]) => client.getQueryData<MatrixView>(key)!.rows[0]!.cells['ua']!.corroboration;
    expect(at(['matrix', 'demo', null])).toEqual(corroborated);
    expect(at(['matrix', 'demo', null, null, { documentId: 'd1' }])).toEqual(corroborated);
    expect(at(['matrix', 'demo', '2025-11-22'])).toEqual({ outlets: 1, sources: 1, corroborated: false });
  });

  it('reads once for a burst of changes, and once more for a change during the read', async () => {
    jest.useFakeTimers();
    const client = new QueryClient();
    client.setQueryData(['matrix', 'demo', null], view());
    let reads = 0;
    let finish: (v: MatrixView) => void = () => undefined;
    const read = () => {
      reads += 1;
      return new Promise<MatrixView>((resolve) => (finish = resolve));
    };
    for (let i = 0; i < 5; i += 1) scheduleCorroborationRefresh(client, 'demo', read, 100);
    await jest.advanceTimersByTimeAsync(100);
    expect(reads).toBe(1);
    scheduleCorroborationRefresh(client, 'demo', read, 100);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(reads).toBe(1);
    finish(readWith());
    await jest.advanceTimersByTimeAsync(100);
    expect(reads).toBe(2);
    finish(readWith());
    await jest.advanceTimersByTimeAsync(1_000);
    expect(reads).toBe(2);
    expect(client.getQueryData<MatrixView>(['matrix', 'demo', null])!.rows[0]!.cells['ua']!.corroboration).toEqual(corroborated);
  });
});
