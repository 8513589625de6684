import { POSITION_LABEL, SOURCE_KIND_LABEL, type Source, type StanceEvent } from '@parley/contracts';
import { ErrorNotice, Loading } from '../../shared/QueryState';
import { formatEffective } from '../../shared/cell-format';
import { POSITION_SWATCH } from '../../shared/palette';
import { useAuth } from '../auth/AuthProvider';
import { Modal } from '../modal/Modal';
import { ArchiveStatus } from './ArchiveStatus';
import { AttachArchive } from './AttachArchive';
import { sourceName } from './source-name';
import { SOURCE_STANCES_PAGE, useSourceStances } from './use-sources';
import './sources.css';

interface Props {
  slug: string;
  source: Source;
  /** Party id → name; point id → code. */
  partyNames: ReadonlyMap<string, string>;
  pointCodes: ReadonlyMap<string, string>;
  onClose: () => void;
}

export { sourceName } from './source-name';

function CitingEvent({ event, partyNames, pointCodes }: { event: StanceEvent } & Pick<Props, 'partyNames' | 'pointCodes'>) {
  const retracted = event.retraction !== null;
  return (
    <li className={retracted ? 'retracted' : undefined} data-event-id={event.id}>
      <p className="source-panel__head">
        {retracted ? <span className="visually-hidden">Retracted: </span> : null}
        <time dateTime={event.effectiveAt}>{formatEffective(event)}</time> · {partyNames.get(event.partyId) ?? event.partyId} on {pointCodes.get(event.pointId) ?? event.pointId}:{' '}
        <span className="chip" style={POSITION_SWATCH[event.position]}>
          {POSITION_LABEL[event.position]}
        </span>{' '}
        <span className="event__conf">{event.confidence}</span>
      </p>
      {event.retraction ? (
        <p className="event__retraction">
          <strong>Retracted</strong> on {event.retraction.recordedAt.slice(0, 10)}: {event.retraction.reason}
        </p>
      ) : null}
      {event.quote ? <blockquote lang={event.quoteLanguage ?? undefined}>“{event.quote}”</blockquote> : null}
    </li>
  );
}

/** The per-source view: the source, its archived copy, every stance event citing it (newest first); an analyst attaches a copy here. */
export function SourcePanel({ slug, source, partyNames, pointCodes, onClose }: Props) {
  const { analyst } = useAuth();
  const stances = useSourceStances(slug, source.id);
  return (
    <Modal title={`Source: ${sourceName(source)}`} onClose={onClose} className="source-panel">
      <p className="source-panel__meta">
        {SOURCE_KIND_LABEL[source.kind]}
        {source.publishedAt ? <> · published {source.publishedAt.slice(0, 10)}</> : null}
        {source.language ? <> · in <span lang={source.language}>{source.language}</span></> : null}
        {source.description && (source.outlet || source.title) ? <> · {source.description}</> : null} · <ArchiveStatus slug={slug} source={source} />
        {source.archive ? (
          <span className="hint">
            {' '}
            ({source.archive.contentType}, {source.archive.size} bytes, archived {source.archive.archivedAt.slice(0, 10)} by {source.archive.archivedBy})
          </span>
        ) : null}
      </p>
      {analyst ? <AttachArchive slug={slug} source={source} /> : null}
      <h4>Stances citing it</h4>
      {stances.isPending ? (
        <Loading what="the stances citing this source" />
      ) : stances.isError ? (
        <ErrorNotice error={stances.error} what="the stances citing this source" onRetry={() => void stances.refetch()} />
      ) : stances.data.items.length === 0 ? (
        <p className="empty-state">No stance cites this source.</p>
      ) : (
        <>
          <ol className="source-panel__events">
            {stances.data.items.map((e) => (
              <CitingEvent key={e.id} event={e} partyNames={partyNames} pointCodes={pointCodes} />
            ))}
          </ol>
          {stances.data.nextBeforeSeq !== null ? <p className="hint">Showing the latest {SOURCE_STANCES_PAGE}; older ones are in the changes export.</p> : null}
        </>
      )}
    </Modal>
  );
}
