import type { ReactNode } from 'react';
import { FormActions } from '../modal/FormActions';

export interface ControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

interface Props {
  id: string;
  label: string;
  error: string | undefined;
  hint?: string;
  /** Renders the control with its id and error wiring. */
  children: (props: ControlProps) => ReactNode;
}

/** A labelled form control with its validation message (announced through aria-describedby). */
export function Field({ id, label, error, hint, children }: Props) {
  const errorId = `${id}-error`;
  return (
    <div className={`form-row${error ? ' form-row--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': error ? errorId : undefined })}
      {hint ? <span className="hint">{hint}</span> : null}
      {error ? (
        <span id={errorId} className="field-error">
          {label} {error}
        </span>
      ) : null}
    </div>
  );
}

/** The 409 notice: someone saved this record meanwhile; reloading shows theirs (the form's edits are dropped). */
function ConflictNotice({ what, onReload }: { what: string; onReload: () => void }) {
  return (
    <div className="error" role="alert">
      <p>
        <strong>Someone else changed this {what} since you opened it.</strong> Nothing was saved. Reload it to see their version, then
        make your change again.
      </p>
      <button type="button" onClick={onReload}>
        Reload {what}
      </button>
    </div>
  );
}

interface FooterProps {
  form: { conflict: boolean; formError: string | null; busy: boolean };
  /** "point", "document", … */
  what: string;
  editing: boolean;
  onReload: () => void;
  onClose: () => void;
}

/** The end of every edit form: the conflict notice, a form-level error, Save/Add and Cancel. */
export function FormFooter({ form, what, editing, onReload, onClose }: FooterProps) {
  return (
    <>
      {form.conflict ? <ConflictNotice what={what} onReload={onReload} /> : null}
      <FormActions
        error={form.formError}
        busy={form.busy}
        label={`${editing ? 'Save' : 'Add'} ${what}`}
        busyLabel="Saving…"
        onCancel={onClose}
      />
    </>
  );
}
