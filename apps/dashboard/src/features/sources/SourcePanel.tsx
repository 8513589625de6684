import { POSITION_LABEL, SOURCE_KIND_LABEL, type Source, type StanceEvent } from '@parley/contracts';
import { ErrorNotice, Loading } from '../../shared/QueryState';
import { formatEffective } from '../../shared/cell-format';
import { POSITION_SWATCH } from '../../shared/palette';
import { useState } from 'react';
import { useAuth } from '../auth/AuthProvider';
import { Modal } from '../modal/Modal';
import { ArchiveStatus } from './ArchiveStatus';
import { AttachArchive } from './AttachArchive';
import { SourceDialog } from './SourceDialog';
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
  /** Opens a citing stance's point at the day it took effect (the panel then closes). */
  onOpenStance?: (event: StanceEvent) => void;
}

export { sourceName } from './source-name';

function CitingEvent({ event, partyNames, pointCodes, onOpenStance }: { event: StanceEvent } & Pick<Props, 'partyNames' | 'pointCodes' | 'onOpenStance'>) {
  const retracted = event.retraction !== null;
  const cell = `${partyNames.get(event.partyId) ?? event.partyId} on ${pointCodes.get(event.pointId) ?? event.pointId}`;
  return (
    <li className={retracted ? 'retracted' : undefined} data-event-id={event.id}>
      <p className="source-panel__head">
        {retracted ? <span className="visually-hidden">Retracted: </span> : null}
        <time dateTime={event.effectiveAt}>{formatEffective(event)}</time> ·{' '}
        {onOpenStance ? (
          <button type="button" className="link-button" onClick={() => onOpenStance(event)} title="Open the point at the day this stance took effect">
            {cell}
          </button>
        ) : (
          cell
        )}
        :{' '}
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
export function SourcePanel({ slug, source, partyNames, pointCodes, onClose, onOpenStance }: Props) {
  const { analyst } = useAuth();
  const stances = useSourceStances(slug, source.id);
  const [editing, setEditing] = useState(false);
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
      {source.url ? (
        <p className="source-panel__url">
          Original:{' '}
          <a href={source.url} target="_blank" rel="noopener noreferrer">
            {source.url}
          </a>
        </p>
      ) : null}
      {analyst ? (
        <p>
          <button type="button" onClick={() => setEditing(true)}>
            Correct this source
          </button>
        </p>
      ) : null}
      {analyst ? <AttachArchive slug={slug} source={source} /> : null}
      {editing ? <SourceDialog slug={slug} source={source} onClose={() => setEditing(false)} /> : null}
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
              <CitingEvent key={e.id} event={e} partyNames={partyNames} pointCodes={pointCodes} onOpenStance={onOpenStance} />
            ))}
          </ol>
          {stances.data.nextBeforeSeq !== null ? <p className="hint">Showing the latest {SOURCE_STANCES_PAGE}; older ones are in the changes export.</p> : null}
        </>
      )}
    </Modal>
  );
}
