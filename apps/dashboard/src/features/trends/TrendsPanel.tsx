import './trends.css';
import type { MatrixView } from '@parley/contracts';
import { ErrorNotice, Loading } from '../../shared/QueryState';
import { useParties } from '../../shared/use-parties';
import { DocumentScope, scopeNote } from '../documents/DocumentScope';
import { useDocuments } from '../documents/use-documents';
import { ConvergenceChart } from './ConvergenceChart';
import { DistanceHeatmap } from './DistanceHeatmap';
import { useMetrics, useMilestones } from './use-trends';

interface Props {
  slug: string;
  asOf: string | null;
  knownAt: string | null;
  /** The document scope (`?doc=`): its points only, the curve from its date. */
  doc?: string | null;
  onDocChange?: (doc: string | null) => void;
}

const today = () => new Date().toISOString().slice(0, 10);

/** Share of points agreed at the selected date, so that a claim like "90% agreed" can be checked. */
export function AgreedClaim({ totals, asOf }: { totals: { points: number; agreed: number; blocked: number; agreedShare: number }; asOf: string | null }) {
  const pct = totals.points > 0 ? Math.round((totals.agreed / totals.points) * 1000) / 10 : 0;
  return (
    <p className="claim" data-testid="agreed-claim">
      {asOf ? `As of ${asOf}` : 'Now'}: <strong>{pct}% agreed</strong> ({totals.agreed} of {totals.points} points),{' '}
      {totals.blocked} blocked.
    </p>
  );
}

/** The convergence curve with milestones, and the party-distance heatmap, at the dashboard's date. */
export function TrendsPanel({ slug, asOf, knownAt, doc = null, onDocChange }: Props) {
  const milestones = useMilestones(slug);
  const parties = useParties(slug);
  const documents = useDocuments(slug);
  // The curve runs from the first stance (the server's default) to today, and the chart's time axis
  // stretches to the first and last milestone. The as-of day is marked on the curve rather than
  // cutting it off; the totals and distances are computed at it.
  // Scoped by a document, the server starts the curve at the document's date.
  const metrics = useMetrics(slug, { from: null, to: today(), asOf, knownAt, documentId: doc });

  if (milestones.isPending || metrics.isPending) return <Loading what="the trends" />;
  if (metrics.isError) return <ErrorNotice error={metrics.error} what="the trends" onRetry={() => void metrics.refetch()} />;

  const partyRows: MatrixView['parties'] = (parties.data ?? []).map((p) => ({ id: p.id, code: p.code, name: p.name, color: p.color, parentId: p.parentId }));
  return (
    <section className="trends" aria-labelledby="trends-heading">
      <h3 id="trends-heading">Trends</h3>
      {onDocChange ? <DocumentScope documents={documents.data ?? []} doc={doc} onChange={onDocChange} /> : null}
      {doc ? <p className="hint" data-testid="trends-scope">{scopeNote(documents.data ?? [], doc)}</p> : null}
      <AgreedClaim totals={metrics.data.totals} asOf={asOf} />
      {milestones.isError ? <ErrorNotice error={milestones.error} what="the milestones" /> : null}
      <ConvergenceChart series={metrics.data.series} milestones={milestones.data ?? []} asOf={asOf} step={metrics.data.step} />
      <h3>Party distances{asOf ? ` as of ${asOf}` : ''}</h3>
      {parties.isError ? (
        <ErrorNotice error={parties.error} what="the parties" onRetry={() => void parties.refetch()} />
      ) : (
        <DistanceHeatmap parties={partyRows} distances={metrics.data.distances} />
      )}
    </section>
  );
}

export default TrendsPanel;
