import './exports.css';
import { useId, useState } from 'react';
import type { DashboardParams } from '../../shared/url-state';
import { useAuth } from '../auth/AuthProvider';
import { EXPORT_CHOICES, exportPath, formatBytes } from './export-links';
import { useDownload } from './use-download';

interface Props {
  slug: string;
  params: DashboardParams;
}

/** A week before the viewed date: the default start of a briefing's changes window. */
function weekBefore(asOf: string | null): string {
  const end = asOf ? Date.parse(`${asOf}T00:00:00Z`) : Date.now();
  return new Date(end - 7 * 86_400_000).toISOString().slice(0, 10);
}

/** Export what is on screen: the same date, filters and numbering, in every format the API offers. */
export function ExportMenu({ slug, params }: Props) {
  const { credential } = useAuth();
  const { state, start, cancel } = useDownload(credential);
  const [since, setSince] = useState<string>(() => weekBefore(params.asOf));
  const sinceId = useId();
  const running = state.phase === 'running';

  return (
    <details className="export-menu">
      <summary>Export</summary>
      <div className="export-menu__panel" role="group" aria-label="Export">
        <p className="export-menu__scope">
          {params.asOf ? `As of ${params.asOf}` : 'As of now'}
          {params.knownAt ? `, as known at ${params.knownAt}` : ''}
          {params.cat || params.status || params.parties || params.q ? ', with the matrix filters' : ''}
        </p>
        {/* The briefing lists the stance changes effective in this window (not those recorded in it). */}
        <label htmlFor={sinceId}>Changes effective from</label>
        <input id={sinceId} type="date" value={since} max={params.asOf ?? undefined} onChange={(e) => setSince(e.target.value)} />
        <span className="export-menu__hint" data-testid="changes-window">
          to {params.asOf ?? 'today'}
        </span>
        <ul>
          {EXPORT_CHOICES.map((choice) => (
            <li key={choice.id}>
              <button
                type="button"
                disabled={running}
                onClick={() => void start(exportPath(slug, choice, params, since || null), choice.label, `${slug}.${choice.format}`)}
              >
                {choice.label}
              </button>
              <span className="export-menu__hint">{choice.description}</span>
            </li>
          ))}
        </ul>
        <div className="export-menu__status" role="status" aria-live="polite">
          {state.phase === 'running' ? (
            <>
              <progress aria-label={`${state.label}: downloading`} />
              <span>
                {state.label}: {state.received > 0 ? `${formatBytes(state.received)} received` : 'preparing…'}
              </span>
              <button type="button" onClick={cancel}>
                Cancel
              </button>
            </>
          ) : state.phase === 'done' ? (
            <span>
              Downloaded {state.fileName} ({formatBytes(state.size)})
            </span>
          ) : state.phase === 'failed' ? (
            <span className="export-menu__error" role="alert">
              {state.label} failed: {state.message}
            </span>
          ) : null}
        </div>
      </div>
    </details>
  );
}
