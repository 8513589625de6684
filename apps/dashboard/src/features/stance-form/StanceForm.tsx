import './stance-form.css';
import { CONFIDENCES, POSITION_LABEL, POSITIONS, type Milestone, type PlanDocument, type Point, type Source, type StanceCreate, type StanceEvent } from '@parley/contracts';
import { useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import type { CellUpdate } from '../live/matrix-cache';
import { POSITION_SWATCH } from '../../shared/palette';
import { ConditionPoints } from './ConditionPoints';
import { ConflictPanel } from './ConflictPanel';
import { enterSaves, JUMPS, positionOfKey, takesTyping } from './keys';
import { ShortcutsHelp } from './ShortcutsHelp';
import { SourceFields } from './SourceFields';
import { emptyValues, fieldOf, validate, valuesOfEvent, type FieldErrors, type FieldName, type StanceFormValues } from './form-values';
import type { Actor, StanceTarget, SubmitOutcome, SubmitStance } from './types';
import { FormActions } from '../modal/FormActions';

const NO_SOURCES: readonly Source[] = [];
const NO_POINTS: readonly Point[] = [];
const NO_DOCUMENTS: readonly PlanDocument[] = [];
const NO_MILESTONES: readonly Milestone[] = [];
const JUMP_KEYS = new Set(JUMPS.map(([k]) => k));
const NEW_SOURCE_FIELDS: readonly FieldName[] = ['outlet', 'sourceTitle', 'sourceUrl', 'sourcePublishedAt', 'sourceKind', 'sourceLanguage', 'sourceDescription'];

function newKey(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c?.randomUUID) return c.randomUUID();
  return `k-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

interface Props {
  target: StanceTarget;
  /** The party's active actors. */
  actors: readonly Actor[];
  /** The negotiation's sources, to cite one (none: only a new source can be entered). */
  sources?: readonly Source[];
  /** The negotiation's points in their order, for the points the conditions depend on. */
  points?: readonly Point[];
  /** The plan documents (versions of the text), for the one the stance reacts to. */
  documents?: readonly PlanDocument[];
  /** The negotiation's milestones, for the one the stance was taken at. */
  milestones?: readonly Milestone[];
  submit: SubmitStance;
  onSaved: (outcome: Extract<SubmitOutcome, { kind: 'saved' | 'proposed' }>) => void;
  /** "Take theirs" after a conflict: their cell, to show it. */
  onTakeTheirs: (theirs: CellUpdate) => void;
  onCancel: () => void;
  /** For tests: the day the effective date defaults to. */
  now?: Date;
  /**
   * Correct this event (of the target cell): the form opens with its values, asks for a reason, and
   * the stance replaces it in one step (submit gets the reason).
   */
  correcting?: StanceEvent;
}

/**
 * Records a stance on one cell: every field the API takes (position, confidence, dates, actor, the
 * source cited or a new one, quote and translation, conditions and the points they depend on, the
 * document and the milestone, a note). Validates with the shared schema; the API's field messages
 * show at their fields; on 409 shows both versions. Keyboard-first: see keys.ts and `?`.
 */
export function StanceForm({
  target,
  actors,
  sources = NO_SOURCES,
  points = NO_POINTS,
  documents = NO_DOCUMENTS,
  milestones = NO_MILESTONES,
  submit,
  onSaved,
  onTakeTheirs,
  onCancel,
  now,
  correcting,
}: Props) {
  const ids = useId();
  const [values, setValues] = useState<StanceFormValues>(() => (correcting ? valuesOfEvent(correcting) : emptyValues(now)));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<{ theirs: CellUpdate; mine: StanceCreate; reason?: string } | null>(null);
  const [proposed, setProposed] = useState(false);
  // One key per form: a retry after a network failure cannot record the stance twice.
  const key = useRef(newKey());
  const formRef = useRef<HTMLFormElement>(null);
  // Newest publication first (undated last), as an analyst looks for the latest reporting.
  const sorted = useMemo(() => [...sources].sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '') || a.id.localeCompare(b.id)), [sources]);
  const mode = values.sourceMode ?? (sources.length > 0 ? 'existing' : 'new');
  const [help, setHelp] = useState(false);
  const otherPoints = useMemo(() => points.filter((p) => p.id !== target.pointId), [points, target.pointId]);
  // Newest first: a stance reacts to the latest text and was taken at the latest talks, mostly.
  const docsNewest = useMemo(() => [...documents].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt)), [documents]);
  const milestonesNewest = useMemo(() => [...milestones].sort((a, b) => b.startsAt.localeCompare(a.startsAt) || a.title.localeCompare(b.title)), [milestones]);

  const set = <K extends FieldName>(field: K, value: StanceFormValues[K]) => {
    // Typing into a source's fields fixes how it is given: the sources arriving later do not switch the form away from them.
    const fixes = field === 'sourceId' ? 'existing' : NEW_SOURCE_FIELDS.includes(field) ? 'new' : null;
    setValues((v) => ({ ...v, [field]: value, ...(fixes && v.sourceMode === null ? { sourceMode: fixes } : {}) }));
    if (errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const send = async (body: StanceCreate, reason?: string) => {
    setBusy(true);
    setFormError(null);
    let outcome: SubmitOutcome;
    try {
      outcome = await submit(body, key.current, reason);
    } catch (err) {
      outcome = { kind: 'error', message: err instanceof Error ? err.message : String(err) };
    }
    setBusy(false);
    switch (outcome.kind) {
      case 'saved':
        onSaved(outcome);
        return;
      case 'proposed':
        // Told to the dialog (the queue's cache takes the proposal) and said here: nothing changed for viewers yet.
        onSaved(outcome);
        setConflict(null);
        setProposed(true);
        return;
      case 'conflict':
        // Their version is now the one to beat; a new attempt is a new request.
        key.current = newKey();
        setConflict({ theirs: outcome.theirs, mine: body, reason });
        return;
      case 'invalid': {
        const next: FieldErrors = {};
        const rest: string[] = [];
        for (const d of outcome.details) {
          const f = fieldOf(d.field, mode);
          if (f) next[f] ??= d.message;
          else rest.push(`${d.field}: ${d.message}`);
        }
        setErrors(next);
        setFormError(rest.length > 0 ? rest.join('; ') : Object.keys(next).length === 0 ? outcome.message : null);
        setConflict(null);
        return;
      }
      case 'expired':
        setFormError('Your session expired. Sign in again; your entries are still here.');
        return;
      case 'error':
        setFormError(outcome.message);
        return;
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const result = validate(values, target, target.version, mode, correcting !== undefined);
    if (!result.ok) {
      setErrors(result.errors);
      setFormError(result.other.length > 0 ? result.other.join('; ') : null);
      // Move to the first field that needs attention.
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    void send(result.body, correcting ? values.reason.trim() : undefined);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    // Keys in the help list (a dialog of its own, rendered elsewhere in the page) are its own.
    if (e.defaultPrevented || !(e.target instanceof Node) || !e.currentTarget.contains(e.target)) return;
    const el = e.target instanceof Element ? e.target : null;
    if (e.key === 'Enter' && !e.altKey && !e.shiftKey && (e.ctrlKey || e.metaKey || enterSaves(el))) {
      e.preventDefault();
      if (!busy) e.currentTarget.requestSubmit();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || takesTyping(el)) return;
    if (e.key === '?') {
      e.preventDefault();
      setHelp(true);
      return;
    }
    const position = positionOfKey(e.key);
    if (position) {
      e.preventDefault();
      set('position', position);
      e.currentTarget.querySelector<HTMLElement>(`[data-position="${position}"]`)?.focus();
      return;
    }
    if (JUMP_KEYS.has(e.key)) {
      const to = e.currentTarget.querySelector<HTMLElement>(`[data-key="${e.key}"]`);
      if (to) {
        e.preventDefault();
        to.focus();
      }
    }
  };

  if (proposed) {
    return (
      <div className="stance-form__proposed" role="status">
        <p>
          <strong>Sent for review.</strong> This negotiation reviews stance changes: another analyst or an admin approves your {correcting ? 'correction' : 'stance'} before
          viewers see it.
        </p>
        <div className="form-actions">
          <button type="button" className="primary" onClick={onCancel} data-autofocus>
            Close
          </button>
        </div>
      </div>
    );
  }

  if (conflict) {
    return (
      <ConflictPanel
        theirs={conflict.theirs}
        mine={conflict.mine}
        actors={actors}
        sources={sources}
        busy={busy}
        reason={conflict.reason}
        onKeepMine={() => void send({ ...conflict.mine, expectedVersion: conflict.theirs.version }, conflict.reason)}
        onTakeTheirs={() => onTakeTheirs(conflict.theirs)}
      />
    );
  }

  const fid = (f: FieldName) => `${ids}-${f}`;
  const errorId = (f: FieldName) => `${ids}-${f}-error`;
  const invalid = (f: FieldName) =>
    errors[f] ? { 'aria-invalid': true as const, 'aria-describedby': errorId(f) } : { 'aria-invalid': false as const };
  const message = (f: FieldName) =>
    errors[f] ? (
      <span id={errorId(f)} className="field-error">
        {errors[f]}
      </span>
    ) : null;
  const row = (f: FieldName, label: string, control: ReactNode, hint?: string) => (
    <div className={`form-row${errors[f] ? ' form-row--invalid' : ''}`}>
      <label htmlFor={fid(f)}>{label}</label>
      {control}
      {hint ? <span className="hint">{hint}</span> : null}
      {message(f)}
    </div>
  );

  return (
    <form ref={formRef} className="stance-form" noValidate onSubmit={onSubmit} onKeyDown={onKeyDown} aria-busy={busy} aria-keyshortcuts="1 2 3 4 5 6 ?">
      <p className="stance-form__current">
        Now: <strong>{target.current ? POSITION_LABEL[target.current.position] : 'No stated position'}</strong>
        {target.current ? ` (since ${target.current.effectiveAt.slice(0, 10)})` : null}
        {correcting ? (
          <>
            {' '}
            · Correcting: <strong>{POSITION_LABEL[correcting.position]}</strong>, effective {correcting.effectiveAt.slice(0, 10)}, recorded {correcting.recordedAt.slice(0, 10)}
          </>
        ) : null}
        <button type="button" className="link-button stance-form__keys-button" onClick={() => setHelp(true)} aria-keyshortcuts="?">
          Keys (?)
        </button>
      </p>
      {help ? <ShortcutsHelp onClose={() => setHelp(false)} /> : null}
      <fieldset
        className={`positions${errors.position ? ' form-row--invalid' : ''}`}
        aria-invalid={errors.position ? true : undefined}
        aria-describedby={errors.position ? errorId('position') : undefined}
      >
        <legend>Position</legend>
        {POSITIONS.map((p, i) => (
          <label key={p} className="position-option">
            <input
              type="radio"
              name={`${ids}-position`}
              value={p}
              checked={values.position === p}
              data-position={p}
              onChange={() => set('position', p)}
              aria-invalid={errors.position ? true : undefined}
              // The focus starts on the chosen position (Tab into the group lands there too), else the first.
              {...((values.position === '' ? i === 0 : values.position === p) ? { 'data-autofocus': true } : {})}
            />
            <span className="position-chip" style={POSITION_SWATCH[p]}>
              {POSITION_LABEL[p]}
            </span>
            <kbd className="stance-form__digit" aria-hidden="true">
              {i + 1}
            </kbd>
          </label>
        ))}
        {message('position')}
      </fieldset>
      <div className="form-grid">
        {row(
          'confidence',
          'Confidence',
          <select id={fid('confidence')} data-key="f" value={values.confidence} onChange={(e) => set('confidence', e.target.value as StanceFormValues['confidence'])} {...invalid('confidence')}>
            {CONFIDENCES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>,
        )}
        {row(
          'effectiveAt',
          'Effective date',
          <input id={fid('effectiveAt')} type="date" data-key="e" value={values.effectiveAt} onChange={(e) => set('effectiveAt', e.target.value)} {...invalid('effectiveAt')} />,
          'UTC; back-dating allowed; a later date only for a scheduled position',
        )}
        <div className={`form-row${errors.scheduled ? ' form-row--invalid' : ''}`}>
          <label htmlFor={fid('scheduled')}>
            <input id={fid('scheduled')} type="checkbox" checked={values.scheduled} onChange={(e) => set('scheduled', e.target.checked)} {...invalid('scheduled')} />{' '}
            Scheduled: announced to take effect on a later date
          </label>
          {message('scheduled')}
        </div>
        {row(
          'actorId',
          'Actor',
          <select id={fid('actorId')} data-key="a" value={values.actorId} onChange={(e) => set('actorId', e.target.value)} {...invalid('actorId')}>
            <option value="">— none —</option>
            {actors.map((a) => (
              <option key={a.id} value={a.id}>
                {a.role ? `${a.name} (${a.role})` : a.name}
              </option>
            ))}
          </select>,
        )}
      </div>
      <SourceFields values={values} mode={mode} sources={sorted} set={set} row={row} fid={fid} invalid={invalid} />
      {row('quote', 'Quote (original words)', <textarea id={fid('quote')} rows={2} data-key="q" value={values.quote} onChange={(e) => set('quote', e.target.value)} {...invalid('quote')} />)}
      <div className="form-grid">
        {row(
          'quoteLanguage',
          'Quote language',
          <input id={fid('quoteLanguage')} type="text" placeholder="e.g. ru, uk, en" value={values.quoteLanguage} onChange={(e) => set('quoteLanguage', e.target.value)} {...invalid('quoteLanguage')} />,
        )}
        {row(
          'translationLanguage',
          'Translation language',
          <input id={fid('translationLanguage')} type="text" placeholder="e.g. en" value={values.translationLanguage} onChange={(e) => set('translationLanguage', e.target.value)} {...invalid('translationLanguage')} />,
        )}
      </div>
      {row('translation', 'Translation', <textarea id={fid('translation')} rows={2} value={values.translation} onChange={(e) => set('translation', e.target.value)} {...invalid('translation')} />)}
      <fieldset className="stance-form__conditions">
        <legend>What it depends on</legend>
        {row(
          'conditions',
          'Conditions',
          <textarea id={fid('conditions')} rows={2} data-key="c" value={values.conditions} onChange={(e) => set('conditions', e.target.value)} {...invalid('conditions')} />,
          'What the party asks for in return, in its words or yours',
        )}
        <ConditionPoints points={otherPoints} chosen={values.conditionPointIds} onChange={(ids) => set('conditionPointIds', ids)} error={errors.conditionPointIds} />
      </fieldset>
      <div className="form-grid">
        {row(
          'documentId',
          'Document',
          <select id={fid('documentId')} data-key="d" value={values.documentId} onChange={(e) => set('documentId', e.target.value)} {...invalid('documentId')}>
            <option value="">— none —</option>
            {docsNewest.map((d) => (
              <option key={d.id} value={d.id}>
                {d.title} ({d.publishedAt.slice(0, 10)})
              </option>
            ))}
          </select>,
          'The plan version the stance reacts to',
        )}
        {row(
          'milestoneId',
          'Milestone',
          <select id={fid('milestoneId')} data-key="m" value={values.milestoneId} onChange={(e) => set('milestoneId', e.target.value)} {...invalid('milestoneId')}>
            <option value="">— none —</option>
            {milestonesNewest.map((m) => (
              <option key={m.id} value={m.id}>
                {m.startsAt.slice(0, 10)} · {m.title}
              </option>
            ))}
          </select>,
          'The talks, summit or statement it was taken at',
        )}
      </div>
      {row('note', 'Note', <textarea id={fid('note')} rows={2} data-key="n" value={values.note} onChange={(e) => set('note', e.target.value)} {...invalid('note')} />)}
      {correcting
        ? row(
            'reason',
            'Reason for the correction (required)',
            <textarea id={fid('reason')} rows={2} data-key="r" value={values.reason} onChange={(e) => set('reason', e.target.value)} {...invalid('reason')} />,
            'Kept with the retraction of the event corrected; viewers see the old stance replaced by this one in one step',
          )
        : null}
      <FormActions error={formError} busy={busy} label={correcting ? 'Save correction' : 'Save stance'} busyLabel="Saving…" onCancel={onCancel} />
    </form>
  );
}
