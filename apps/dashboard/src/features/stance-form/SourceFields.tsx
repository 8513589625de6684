import { SOURCE_KIND_LABEL, SOURCE_KINDS, type Source, type SourceKind } from '@parley/contracts';
import { useId, useState, type ReactNode } from 'react';
import { sourceLine, sourceMatches } from '../sources/source-name';
import type { FieldName, SourceMode, StanceFormValues } from './form-values';

/** How many matching sources the picker lists at once (type more to narrow). */
export const PICKER_LIMIT = 50;

interface Props {
  values: StanceFormValues;
  /** The form's effective source mode (values.sourceMode, or its default). */
  mode: SourceMode;
  /** The negotiation's sources, newest publication first; empty while they load or when it has none. */
  sources: readonly Source[];
  set: <K extends FieldName>(field: K, value: StanceFormValues[K]) => void;
  /** The form's row: label, control, hint and the field's message. */
  row: (f: FieldName, label: string, control: ReactNode, hint?: string) => ReactNode;
  fid: (f: FieldName) => string;
  invalid: (f: FieldName) => { 'aria-invalid': boolean; 'aria-describedby'?: string };
}

/**
 * The stance's source: one of the negotiation's sources, found by typing part of its outlet, title
 * or date; or a new one with all its fields (the API finds it if the negotiation has it already).
 */
export function SourceFields({ values, mode, sources, set, row, fid, invalid }: Props) {
  const ids = useId();
  const [filter, setFilter] = useState('');
  const matching = sources.filter((s) => sourceMatches(s, filter));
  const shown = matching.slice(0, PICKER_LIMIT);
  const chosen = sources.find((s) => s.id === values.sourceId);
  // The chosen source stays in the list whatever the filter, so the select shows it.
  const options = chosen && !shown.includes(chosen) ? [chosen, ...shown] : shown;

  return (
    <fieldset className="stance-form__source">
      <legend>Source</legend>
      <label>
        <input type="radio" name={`${ids}-mode`} checked={mode === 'existing'} onChange={() => set('sourceMode', 'existing')} disabled={sources.length === 0} /> Cite a
        source of this negotiation{sources.length === 0 ? ' (it has none yet)' : ` (${sources.length})`}
      </label>{' '}
      <label>
        <input type="radio" name={`${ids}-mode`} checked={mode === 'new'} onChange={() => set('sourceMode', 'new')} /> Enter a new source
      </label>
      {mode === 'existing' ? (
        <>
          <div className="form-row">
            <label htmlFor={`${ids}-filter`}>Find a source</label>
            <input
              id={`${ids}-filter`}
              type="search"
              placeholder="outlet, headline, date (2025-11-20)…"
              value={filter}
              data-key="s"
              onChange={(e) => setFilter(e.target.value)}
              onKeyDown={(e) => {
                // Enter chooses the one source that matches; it never sends the stance from here.
                if (e.key !== 'Enter') return;
                e.preventDefault();
                const [only, ...more] = matching;
                if (only && more.length === 0) set('sourceId', only.id);
              }}
            />
            <span className="hint" role="status">
              {matching.length === sources.length ? `${sources.length} sources` : `${matching.length} of ${sources.length} sources match`}
              {matching.length > PICKER_LIMIT ? `; the first ${PICKER_LIMIT} are listed, type more to narrow` : ''}
            </span>
          </div>
          {row(
            'sourceId',
            'Cited source',
            <select id={fid('sourceId')} size={Math.min(8, Math.max(3, options.length + 1))} value={values.sourceId} onChange={(e) => set('sourceId', e.target.value)} {...invalid('sourceId')}>
              <option value="">— choose a source —</option>
              {options.map((s) => (
                <option key={s.id} value={s.id}>
                  {sourceLine(s)}
                </option>
              ))}
            </select>,
          )}
          {chosen ? (
            <p className="hint stance-form__chosen" aria-label="Chosen source">
              <strong>{sourceLine(chosen)}</strong> · {SOURCE_KIND_LABEL[chosen.kind]}
              {chosen.language ? ` · in ${chosen.language}` : ''}
              {chosen.archive ? ' · archived' : ' · no archived copy'}
              {chosen.url ? (
                <>
                  {' · '}
                  <a href={chosen.url} target="_blank" rel="noopener noreferrer">
                    {chosen.url}
                  </a>
                </>
              ) : null}
            </p>
          ) : null}
        </>
      ) : (
        <div className="form-grid">
          {row('outlet', 'Outlet', <input id={fid('outlet')} type="text" data-key="s" value={values.outlet} onChange={(e) => set('outlet', e.target.value)} {...invalid('outlet')} />)}
          {row('sourceTitle', 'Headline', <input id={fid('sourceTitle')} type="text" value={values.sourceTitle} onChange={(e) => set('sourceTitle', e.target.value)} {...invalid('sourceTitle')} />)}
          {row('sourceUrl', 'Source URL', <input id={fid('sourceUrl')} type="url" value={values.sourceUrl} onChange={(e) => set('sourceUrl', e.target.value)} {...invalid('sourceUrl')} />)}
          {row(
            'sourcePublishedAt',
            'Publication date',
            <input id={fid('sourcePublishedAt')} type="date" value={values.sourcePublishedAt} onChange={(e) => set('sourcePublishedAt', e.target.value)} {...invalid('sourcePublishedAt')} />,
          )}
          {row(
            'sourceKind',
            'Kind of source',
            <select id={fid('sourceKind')} value={values.sourceKind} onChange={(e) => set('sourceKind', e.target.value as SourceKind | '')} {...invalid('sourceKind')}>
              <option value="">— default: news report with an outlet, else document —</option>
              {SOURCE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {SOURCE_KIND_LABEL[k]}
                </option>
              ))}
            </select>,
          )}
          {row(
            'sourceLanguage',
            'Source language',
            <input id={fid('sourceLanguage')} type="text" placeholder="e.g. ru, uk, en, pt-BR" value={values.sourceLanguage} onChange={(e) => set('sourceLanguage', e.target.value)} {...invalid('sourceLanguage')} />,
          )}
          {row(
            'sourceDescription',
            'Source description',
            <textarea id={fid('sourceDescription')} rows={2} value={values.sourceDescription} onChange={(e) => set('sourceDescription', e.target.value)} {...invalid('sourceDescription')} />,
            'What the source is when it has no headline, e.g. the speaker and the venue',
          )}
        </div>
      )}
    </fieldset>
  );
}
