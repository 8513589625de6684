import { POSITION_LABEL, SOURCE_KIND_LABEL, type Actor, type Source, type StanceCreate, type StanceEvent } from '@parley/contracts';
import { formatEffective } from '../../shared/cell-format';
import { sourceLine } from '../sources/source-name';
import type { CellUpdate } from '../live/matrix-cache';

interface Props {
  theirs: CellUpdate;
  mine: StanceCreate;
  actors: readonly Actor[];
  /** The negotiation's sources, to name the one my stance cites. */
  sources: readonly Source[];
  busy: boolean;
  /** A correction's reason (mine corrects an event). */
  reason?: string;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
}

function actorName(actors: readonly Actor[], id: string | null | undefined): string | null {
  if (!id) return null;
  return actors.find((a) => a.id === id)?.name ?? id;
}

function theirRows(s: StanceEvent | null, actors: readonly Actor[]): [string, string][] {
  if (!s) return [['Position', 'No stated position (their change retracted it)']];
  return [
    ['Position', `${POSITION_LABEL[s.position]} (${s.confidence})`],
    ['Source', [s.source.kind ? SOURCE_KIND_LABEL[s.source.kind] : null, s.source.outlet, s.source.title, s.source.description, s.source.url].filter(Boolean).join(' · ') || '—'],
    ['Who', [actorName(actors, s.actorId), `recorded by ${s.recordedBy}`].filter(Boolean).join(', ')],
    ['When', `effective ${formatEffective(s)}; recorded ${s.recordedAt.slice(0, 16).replace('T', ' ')} UTC`],
    ...(s.conditions.text ? ([['Conditions', s.conditions.text]] as [string, string][]) : []),
  ];
}

function mySource(b: StanceCreate, sources: readonly Source[]): string {
  if (b.source.id) {
    const cited = sources.find((s) => s.id === b.source.id);
    return cited ? sourceLine(cited) : b.source.id;
  }
  return [b.source.kind ? SOURCE_KIND_LABEL[b.source.kind] : null, b.source.outlet, b.source.title, b.source.description, b.source.url].filter(Boolean).join(' · ') || '—';
}

function myRows(b: StanceCreate, actors: readonly Actor[], sources: readonly Source[]): [string, string][] {
  return [
    ['Position', `${POSITION_LABEL[b.position]} (${b.confidence})`],
    ['Source', mySource(b, sources)],
    ['Who', actorName(actors, b.actorId) ?? '—'],
    ['When', `effective ${b.effectiveAt.slice(0, 10)}; not saved`],
    ...(b.conditions?.text ? ([['Conditions', b.conditions.text]] as [string, string][]) : []),
  ];
}

function Version({ title, rows }: { title: string; rows: [string, string][] }) {
  return (
    <section className="conflict__side" aria-label={title}>
      <h3>{title}</h3>
      <dl>
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** 409 from the API: the cell changed since the form opened. Nothing is overwritten without a choice. */
export function ConflictPanel({ theirs, mine, actors, sources, busy, reason, onKeepMine, onTakeTheirs }: Props) {
  return (
    <div className="conflict" role="alert" aria-labelledby="conflict-title">
      <h3 id="conflict-title" className="conflict__title">
        Someone else changed this cell
      </h3>
      <p className="conflict__hint">Your stance was not saved. Compare the two and choose.</p>
      <div className="conflict__sides">
        <Version title="Theirs (saved)" rows={theirRows(theirs.current, actors)} />
        <Version title="Yours (not saved)" rows={reason === undefined ? myRows(mine, actors, sources) : [...myRows(mine, actors, sources), ['Correction', reason]]} />
      </div>
      <div className="form-actions">
        <button type="button" className="primary" disabled={busy} onClick={onKeepMine} data-autofocus>
          Keep mine
        </button>
        <button type="button" disabled={busy} onClick={onTakeTheirs}>
          Take theirs
        </button>
      </div>
    </div>
  );
}
