import type { StanceEvent } from '@parley/contracts';
import { ErrorNotice, Loading } from '../../shared/QueryState';
import { useParties } from '../../shared/use-parties';
import { usePoints } from '../editing/use-lists';
import { Modal } from '../modal/Modal';
import { SourcePanel } from './SourcePanel';
import { useSources } from './use-sources';

interface Props {
  slug: string;
  /** The source named by the URL (`?source=<id>`). */
  sourceId: string;
  onClose: () => void;
  onOpenStance?: (event: StanceEvent) => void;
}

/** The panel of the source the URL names, over any view: a link to it can be shared, and Back closes it. */
export function OpenSource({ slug, sourceId, onClose, onOpenStance }: Props) {
  const sources = useSources(slug);
  const parties = useParties(slug);
  const points = usePoints(slug);
  const source = sources.data?.get(sourceId);
  if (!source) {
    return (
      <Modal title="Source" onClose={onClose} className="source-panel">
        {sources.isPending ? (
          <Loading what="the source" />
        ) : sources.isError ? (
          <ErrorNotice error={sources.error} what="the sources" onRetry={() => void sources.refetch()} />
        ) : (
          <p className="empty-state" role="status">
            This negotiation has no source “{sourceId}”.
          </p>
        )}
      </Modal>
    );
  }
  return (
    <SourcePanel
      slug={slug}
      source={source}
      partyNames={new Map((parties.data ?? []).map((p) => [p.id, p.name]))}
      pointCodes={new Map((points.data ?? []).map((p) => [p.id, p.code]))}
      onClose={onClose}
      onOpenStance={onOpenStance}
    />
  );
}
