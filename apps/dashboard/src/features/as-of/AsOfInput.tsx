import { useId } from 'react';

interface Props {
  /** YYYY-MM-DD, or null for "now". */
  value: string | null;
  onChange: (day: string | null) => void;
}

/** The "as of" day: positions as the sources said they were at the end of that day (UTC). */
export function AsOfInput({ value, onChange }: Props) {
  const id = useId();
  const hintId = useId();
  return (
    <div className="field">
      <label htmlFor={id}>As of</label>
      <input
        id={id}
        type="date"
        value={value ?? ''}
        aria-describedby={hintId}
        // The browser reports '' while a typed date is incomplete or invalid.
        onChange={(e) => onChange(e.target.value || null)}
      />
      {value ? (
        <button type="button" className="link-button" onClick={() => onChange(null)}>
          Now
        </button>
      ) : null}
      <span id={hintId} className="hint">
        {value ? 'end of day, UTC' : 'empty = now'}
      </span>
    </div>
  );
}
