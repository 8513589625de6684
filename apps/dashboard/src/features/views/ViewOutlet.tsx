import './views.css';
import type { StanceEvent } from '@parley/contracts';
import { lazy, Suspense, useCallback } from 'react';
import { Loading } from '../../shared/QueryState';
import type { DashboardParams } from '../../shared/url-state';
import { ActivityPanel } from '../activity/ActivityPanel';
import { FourColumnView } from '../four-column/FourColumnView';
import { MatrixPanel } from '../matrix/MatrixPanel';
import { MilestonePage } from '../milestones/MilestonePage';
import { PartyPanel } from '../party/PartyPanel';
import { PointDrawer } from '../point-detail/PointDrawer';
import { ReviewQueue } from '../review/ReviewQueue';
import { OpenSource } from '../sources/OpenSource';
import { SourcesView } from '../sources/SourcesView';

// recharts is most of the trends view's weight: load it only when the view is opened.
const TrendsPanel = lazy(() => import('../trends/TrendsPanel'));

interface Props {
  slug: string;
  params: DashboardParams;
  setParams: (patch: Partial<DashboardParams>, opts?: { replace?: boolean }) => void;
}

/** The screen chosen by `?view=` (or a milestone's page when `?milestone=` is set), the point drawer when `?point=` is set, and a source's panel when `?source=` is. */
export function ViewOutlet({ slug, params, setParams }: Props) {
  // Stable callbacks: the matrix rows are memoized.
  const openPoint = useCallback((point: string) => setParams({ point }), [setParams]);
  const openParty = useCallback((party: string) => setParams({ view: 'party', party }), [setParams]);
  const openSource = useCallback((source: string) => setParams({ source }), [setParams]);
  // A citing stance opens its point at the day it took effect, in place of the source's panel.
  const openStance = useCallback(
    (event: StanceEvent) => setParams({ source: null, point: event.pointId, asOf: event.effectiveAt.slice(0, 10) }),
    [setParams],
  );
  // A milestone's stance opens its point at its day in place of the page (Back returns to the page).
  const openMilestoneStance = useCallback(
    (event: StanceEvent) => setParams({ milestone: null, point: event.pointId, asOf: event.effectiveAt.slice(0, 10) }),
    [setParams],
  );
  const big = params.screen === 'big';

  const view = (() => {
    if (params.milestone && !big) {
      return <MilestonePage key={params.milestone} slug={slug} milestoneId={params.milestone} onClose={() => setParams({ milestone: null })} onOpenStance={openMilestoneStance} />;
    }
    switch (params.view) {
      case 'matrix':
        return (
          <MatrixPanel
            slug={slug}
            params={params}
            setParams={setParams}
            onOpenPoint={big ? undefined : openPoint}
            onOpenParty={big ? undefined : openParty}
          />
        );
      case 'columns':
        return <FourColumnView slug={slug} params={params} setParams={setParams} onOpenPoint={openPoint} />;
      case 'trends':
        return (
          <Suspense fallback={<Loading what="the charts" />}>
            <TrendsPanel slug={slug} asOf={params.asOf} knownAt={params.knownAt} doc={params.doc} onDocChange={(doc) => setParams({ doc }, { replace: true })} />
          </Suspense>
        );
      case 'activity':
        return <ActivityPanel key={slug} slug={slug} onOpenPoint={openPoint} />;
      case 'party':
        return (
          <PartyPanel
            slug={slug}
            asOf={params.asOf}
            knownAt={params.knownAt}
            partyId={params.party}
            onSelectParty={(party) => setParams({ party }, { replace: true })}
            onOpenPoint={openPoint}
          />
        );
      case 'review':
        return <ReviewQueue slug={slug} params={params} setParams={setParams} />;
      case 'sources':
        return <SourcesView slug={slug} filters={params} setFilters={(patch) => setParams(patch, { replace: true })} onOpenSource={openSource} />;
    }
  })();

  return (
    <div className={params.point ? 'with-drawer' : undefined}>
      <div className="view">{view}</div>
      {params.point && !big ? (
        <PointDrawer
          key={params.point}
          slug={slug}
          pointId={params.point}
          asOf={params.asOf}
          knownAt={params.knownAt}
          onClose={() => setParams({ point: null })}
          onShowSource={openSource}
        />
      ) : null}
      {params.source && !big ? <OpenSource key={params.source} slug={slug} sourceId={params.source} onClose={() => setParams({ source: null })} onOpenStance={openStance} /> : null}
    </div>
  );
}
