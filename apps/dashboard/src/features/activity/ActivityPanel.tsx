import './activity.css';
import { useEffect, useMemo } from 'react';
import { ErrorNotice, Loading } from '../../shared/QueryState';
import { useMatrix } from '../../shared/use-matrix';
import { actorNames, useParties } from '../../shared/use-parties';
import { ActivityFeed } from './ActivityFeed';
import { useLastVisit, writeLastSeen } from './last-seen';
import { useChanges } from './use-changes';

interface Props {
  slug: string;
  onOpenPoint: (pointId: string) => void;
}

/** The activity feed of one negotiation; remember what was shown, for the next visit's marker. */
export function ActivityPanel({ slug, onOpenPoint }: Props) {
  // The page's baseline: the marker stays put while the feed is open, even as new items arrive, and
  // when the viewer comes back from another view.
  const [visit] = useLastVisit(slug);
  const lastSeen = visit?.seq ?? null;
  const changes = useChanges(slug);
  const parties = useParties(slug);
  const matrix = useMatrix(slug, null);
  const latest = changes.data?.at(-1)?.seq;

  useEffect(() => {
    if (latest !== undefined) writeLastSeen(slug, latest);
  }, [slug, latest]);

  const partyMap = useMemo(() => new Map((parties.data ?? []).map((p) => [p.id, { name: p.name, color: p.color }])), [parties.data]);
  const pointMap = useMemo(
    () => new Map((matrix.data?.rows ?? []).map((r) => [r.point.id, { code: r.number ?? r.point.code, title: r.point.title }])),
    [matrix.data],
  );
  const actors = useMemo(() => actorNames(parties.data), [parties.data]);

  if (changes.isPending) return <Loading what="the latest changes" />;
  if (changes.isError) return <ErrorNotice error={changes.error} what="the latest changes" onRetry={() => void changes.refetch()} />;
  return (
    <section className="activity" aria-labelledby="activity-heading" aria-busy={changes.isFetching}>
      <h3 id="activity-heading">Latest changes</h3>
      <ActivityFeed
        items={changes.data}
        parties={partyMap}
        points={pointMap}
        actors={actors}
        lastSeen={lastSeen}
        onOpenPoint={onOpenPoint}
      />
    </section>
  );
}
