import { Modal } from '../modal/Modal';
import { SHORTCUTS } from './keys';

/** The stance form's keys, opened with `?` (or its button); Esc closes it and returns to the form. */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keys of the stance form" onClose={onClose}>
      <p className="hint">Digits, letters and ? act while the focus is on a position, a box or a button, not while typing in a field (Tab or Shift+Tab out of it first).</p>
      <dl className="stance-form__keys">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={what}>
            <dt>
              {keys.map((k, i) => (
                <span key={k}>
                  {i > 0 ? (keys.length > 2 ? ' ' : ' or ') : null}
                  <kbd>{k}</kbd>
                </span>
              ))}
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <div className="form-actions">
        <button type="button" onClick={onClose} data-autofocus>
          Back to the form
        </button>
      </div>
    </Modal>
  );
}
