import type { Milestone, MetricsView } from '@parley/contracts';
import { useQuery } from '@tanstack/react-query';
import { getJson } from '../../shared/api';

/** Query key: ['milestones', slug]. */
export function useMilestones(slug: string) {
  return useQuery({
    queryKey: ['milestones', slug],
    queryFn: ({ signal }) => getJson<Milestone[]>(`/negotiations/${encodeURIComponent(slug)}/milestones`, signal),
  });
}

export interface MetricsParams {
  /** First day of the series; null = the server's default (the earliest stance). */
  from: string | null;
  /** Last day of the series. */
  to: string;
  asOf: string | null;
  knownAt: string | null;
  /** Scope: that document's points only, the series from its date (absent or null: every point). */
  documentId?: string | null;
}

/**
 * The metrics request of the Trends page. No step: the server picks the finest that fits the
 * history (day, week, month or year), so a negotiation with a stance of 2014 still has its curve.
 */
export function metricsPath(slug: string, params: MetricsParams): string {
  const q = new URLSearchParams({ to: params.to });
  if (params.from) q.set('from', params.from);
  if (params.asOf) q.set('asOf', params.asOf);
  if (params.knownAt) q.set('knownAt', params.knownAt);
  if (params.documentId) q.set('documentId', params.documentId);
  return `/negotiations/${encodeURIComponent(slug)}/metrics?${q.toString()}`;
}

/** Query key: ['metrics', slug, params]. */
export function useMetrics(slug: string, params: MetricsParams) {
  return useQuery({
    queryKey: ['metrics', slug, params],
    queryFn: ({ signal }) => getJson<MetricsView>(metricsPath(slug, params), signal),
  });
}
