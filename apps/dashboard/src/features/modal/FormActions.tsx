interface Props {
  /** A message about the whole form (not one field), announced when it appears. */
  error: string | null;
  busy: boolean;
  /** The submit button's text, and its text while the request runs. */
  label: string;
  busyLabel: string;
  onCancel: () => void;
}

/** The end of every dialog form: a form-level error, the primary action and Cancel. */
export function FormActions({ error, busy, label, busyLabel, onCancel }: Props) {
  return (
    <>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? busyLabel : label}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}
