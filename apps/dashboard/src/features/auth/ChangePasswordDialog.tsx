import { PASSWORD_MIN_LENGTH, PasswordChange } from '@parley/contracts';
import { useId, useState, type FormEvent } from 'react';
import { asApiError, postJson } from '../../shared/api';
import { FormActions } from '../modal/FormActions';
import { Modal } from '../modal/Modal';
import { useAuth } from './AuthProvider';

/**
 * Change your own password (POST /api/auth/password): the current one, the new one twice. Checked
 * with the same contract schema as the API before sending. Other sessions end; this one stays.
 */
export function ChangePasswordDialog({ onClose }: { onClose: () => void }) {
  const { session, expire } = useAuth();
  const ids = useId();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeated, setRepeated] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const checked = PasswordChange.safeParse({ currentPassword, newPassword });
    if (!checked.success) return setError(checked.error.issues.map((i) => `${LABELS[String(i.path[0])] ?? 'Password'} ${i.message}`).join('; '));
    if (repeated !== newPassword) return setError('The new password and its repetition differ');
    setBusy(true);
    try {
      await postJson<void>('/auth/password', checked.data, { token: session?.token });
    } catch (err) {
      const refused = asApiError(err);
      setBusy(false);
      if (refused.status === 401) {
        expire();
        onClose();
        return;
      }
      return setError(refused.message);
    }
    setBusy(false);
    setDone(true);
  };

  if (done) {
    return (
      <Modal title="Change password" onClose={onClose}>
        <p role="status">Your password was changed. Any other session of yours was signed out; this one stays signed in.</p>
        <div className="form-actions">
          <button type="button" className="primary" onClick={onClose} data-autofocus>
            Done
          </button>
        </div>
      </Modal>
    );
  }
  return (
    <Modal title="Change password" onClose={onClose}>
      <form className="signin-form" noValidate onSubmit={(e) => void onSubmit(e)}>
        <div className="form-row">
          <label htmlFor={`${ids}-current`}>Current password</label>
          <input id={`${ids}-current`} type="password" autoComplete="current-password" value={currentPassword} onChange={(e) => setCurrent(e.target.value)} data-autofocus />
        </div>
        <div className="form-row">
          <label htmlFor={`${ids}-new`}>New password</label>
          <input
            id={`${ids}-new`}
            type="password"
            autoComplete="new-password"
            minLength={PASSWORD_MIN_LENGTH}
            aria-describedby={`${ids}-hint`}
            value={newPassword}
            onChange={(e) => setNew(e.target.value)}
          />
        </div>
        <p id={`${ids}-hint`} className="form-hint">
          At least {PASSWORD_MIN_LENGTH} characters.
        </p>
        <div className="form-row">
          <label htmlFor={`${ids}-repeat`}>Repeat the new password</label>
          <input id={`${ids}-repeat`} type="password" autoComplete="new-password" value={repeated} onChange={(e) => setRepeated(e.target.value)} />
        </div>
        <FormActions error={error} busy={busy} label="Change password" busyLabel="Changing…" onCancel={onClose} />
      </form>
    </Modal>
  );
}

const LABELS: Record<string, string> = { currentPassword: 'Current password:', newPassword: 'New password:' };
