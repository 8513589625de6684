import './point-detail.css';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { Source, StanceEvent } from '@parley/contracts';
import { ErrorNotice, Loading } from '../../shared/QueryState';
import { useAuth } from '../auth/AuthProvider';
import { actorNames, useParties } from '../../shared/use-parties';
import { CarryStancesDialog } from '../lineage/CarryStancesDialog';
import { InheritedHistory } from './InheritedHistory';
import { PointSupport } from './PointSupport';
import { ProvisionDiff } from './ProvisionDiff';
import { RetractDialog } from './RetractDialog';
import { CorrectStanceDialog } from '../stance-form/CorrectStanceDialog';
import { PointDialog } from '../editing/PointDialog';
import { StanceTimeline } from './StanceTimeline';
import { usePoints } from '../editing/use-lists';
import { ArchiveStatus } from '../sources/ArchiveStatus';
import { SourcePanel } from '../sources/SourcePanel';
import { useSources } from '../sources/use-sources';
import { usePointAt } from './use-point-at';
import { usePointHistory } from './use-point-history';

interface Props {
  slug: string;
  pointId: string;
  asOf: string | null;
  knownAt: string | null;
  onClose: () => void;
  /** Opens a cited source's panel (the dashboard does it through the URL); without it, the drawer opens the panel itself. */
  onShowSource?: (sourceId: string) => void;
}

/**
 * Side panel with one point's texts and stance history. Non-modal: the matrix stays readable beside
 * it. Focus moves into the panel on open and back to what opened it (or to <main>) on close.
 */
export function PointDrawer({ slug, pointId, asOf, knownAt, onClose, onShowSource }: Props) {
  const headingId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);
  const history = usePointHistory(slug, pointId, knownAt);
  const parties = useParties(slug);
  const { analyst } = useAuth();
  const [editing, setEditing] = useState(false);
  const [carrying, setCarrying] = useState(false);
  const [retracting, setRetracting] = useState<{ event: StanceEvent; label: string } | null>(null);
  // Stable, and kept for the dialog: the list re-renders when the history reloads.
  const onRetract = useCallback((event: StanceEvent, label: string) => setRetracting({ event, label }), []);
  const [correcting, setCorrecting] = useState<StanceEvent | null>(null);
  const onCorrect = useCallback((event: StanceEvent) => setCorrecting(event), []);
  const sources = useSources(slug);
  const points = usePoints(slug);
  const [shownSource, setShownSource] = useState<Source | null>(null);
  const sourceExtra = useCallback(
    (event: StanceEvent) => {
      const source = event.source.id ? sources.data?.get(event.source.id) : undefined;
      return <ArchiveStatus slug={slug} source={source} onShowSource={source ? () => (onShowSource ? onShowSource(source.id) : setShownSource(source)) : undefined} />;
    },
    [slug, sources.data, onShowSource],
  );

  // What had focus when the drawer opened (read during the first render, before focus moves in).
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));

  useEffect(() => {
    closeRef.current?.focus();
    return () => {
      // Closing removes the focused element, so focus falls to <body>: give it back. If something
      // else took focus (another point was clicked), leave it there.
      const active = document.activeElement;
      if (active && active !== document.body && active.isConnected) return;
      const target = opener && opener !== document.body && opener.isConnected ? opener : document.getElementById('main');
      target?.focus();
    };
  }, [opener]);

  // The title as it was at the view's date (a renamed point shows its name then), else the current one.
  const then = usePointAt(slug, pointId, asOf, knownAt);
  const point = then.data ?? history.data?.point;
  return (
    <aside
      className="drawer"
      role="dialog"
      aria-modal="false"
      aria-labelledby={headingId}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="drawer__head">
        <h3 id={headingId}>{point ? `${point.code} · ${point.title}` : 'Point detail'}</h3>
        {analyst ? (
          <button type="button" onClick={() => setEditing(true)}>
            Edit point
          </button>
        ) : null}
        {analyst && point && history.data?.inherited.some((h) => h.via.id === point.id) ? (
          <button type="button" onClick={() => setCarrying(true)}>
            Carry parents' stances…
          </button>
        ) : null}
        <button ref={closeRef} type="button" onClick={onClose} aria-label="Close point detail">
          ✕ Close
        </button>
      </div>
      {knownAt ? <p className="notice">Showing only what Parley had recorded by {knownAt}.</p> : null}
      {history.isPending ? (
        <Loading what="the point's history" />
      ) : history.isError ? (
        <ErrorNotice error={history.error} what="the point's history" onRetry={() => void history.refetch()} />
      ) : (
        <>
          <h4 className="drawer__section">Text in each document</h4>
          <ProvisionDiff provisions={history.data.provisions} />
          <PointSupport slug={slug} pointId={pointId} asOf={asOf} knownAt={knownAt} />
          <h4 className="drawer__section">Stances</h4>
          <StanceTimeline
            events={history.data.events}
            parties={parties.data ?? []}
            actors={actorNames(parties.data)}
            asOf={asOf}
            onRetract={analyst && !knownAt ? onRetract : undefined}
            onCorrect={analyst && !knownAt ? onCorrect : undefined}
            sourceExtra={sourceExtra}
          />
          <InheritedHistory
            inherited={history.data.inherited}
            parties={parties.data ?? []}
            actors={actorNames(parties.data)}
            asOf={asOf}
            sourceExtra={sourceExtra}
          />
        </>
      )}
      {shownSource ? (
        <SourcePanel
          slug={slug}
          source={sources.data?.get(shownSource.id) ?? shownSource}
          partyNames={new Map((parties.data ?? []).map((p) => [p.id, p.name]))}
          pointCodes={new Map((points.data ?? []).map((p) => [p.id, p.code]))}
          onClose={() => setShownSource(null)}
        />
      ) : null}
      {editing ? <PointDialog slug={slug} pointId={pointId} onClose={() => setEditing(false)} /> : null}
      {carrying && point ? <CarryStancesDialog slug={slug} point={point} onClose={() => setCarrying(false)} /> : null}
      {correcting ? (
        <CorrectStanceDialog
          slug={slug}
          event={correcting}
          onClose={() => {
            setCorrecting(null);
            // The Correct button that opened the dialog is gone once the event is corrected.
            requestAnimationFrame(() => {
              if (!document.activeElement || document.activeElement === document.body) closeRef.current?.focus();
            });
          }}
        />
      ) : null}
      {retracting ? (
        <RetractDialog
          slug={slug}
          event={retracting.event}
          label={retracting.label}
          onClose={() => {
            setRetracting(null);
            // The Retract button that opened the dialog is gone once the event is retracted.
            requestAnimationFrame(() => {
              if (!document.activeElement || document.activeElement === document.body) closeRef.current?.focus();
            });
          }}
        />
      ) : null}
    </aside>
  );
}
