import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { matrixView } from '../testing/fixtures';
import { matrixKey, useMatrix } from './use-matrix';

describe('useMatrix', () => {
  it('passes asOf, knownAt and the document through to the API, each in its own cache entry', async () => {
    const fetchMock = jest.fn((_url: string) => Promise.resolve({ ok: true, text: () => Promise.resolve(JSON.stringify(matrixView([], []))) }));
    globalThis.fetch = fetchMock as unknown as typeof fetch;
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;

    const { result } = renderHook(() => useMatrix('demo', '2025-11-22', { knownAt: '2025-11-21', documentId: 'd1' }), { wrapper });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(fetchMock).toHaveBeenCalledWith('/api/negotiations/demo/matrix?asOf=2025-11-22&knownAt=2025-11-21&documentId=d1', expect.anything());
    expect(client.getQueryData(['matrix', 'demo', '2025-11-22', '2025-11-21', { documentId: 'd1' }])).toBeDefined();
  });

  it('keeps the three-part key of the "now" matrix that the live client patches', () => {
    expect(matrixKey('s', null)).toEqual(['matrix', 's', null]);
    expect(matrixKey('s', null, { knownAt: '2025-11-21' })).toEqual(['matrix', 's', null, '2025-11-21']);
  });
});
