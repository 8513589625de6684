import type { MatrixView } from '@parley/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getJson } from '../../app/api';

export function useMatrix(slug: string | null, asOf: string | null) {
  return useQuery({
    queryKey: ['matrix', slug, asOf],
    enabled: slug !== null,
    // Keep the old matrix on screen while another date loads, instead of flashing a spinner.
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => {
      const query = asOf ? `?${new URLSearchParams({ asOf }).toString()}` : '';
      return getJson<MatrixView>(`/negotiations/${encodeURIComponent(slug ?? '')}/matrix${query}`, signal);
    },
  });
}
