import { useId, useState, type FormEvent } from 'react';
import { Modal } from '../modal/Modal';
import { useAuth } from './AuthProvider';
import { FormActions } from '../modal/FormActions';

/** Header control: "Sign in" (a dialog) or the signed-in user with "Sign out"; says when a session expired. */
export function SignIn() {
  const { session, notice, signIn, signOut, dismissNotice } = useAuth();
  const [open, setOpen] = useState(false);

  if (session) {
    return (
      <div className="auth">
        <span className="auth__user">
          {session.user.name || session.user.email} <span className="auth__role">({session.user.role})</span>
        </span>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
    );
  }
  return (
    <div className="auth">
      {notice ? (
        <p className="auth__notice" role="alert">
          {notice}{' '}
          <button type="button" className="link-button" onClick={dismissNotice}>
            Dismiss
          </button>
        </p>
      ) : null}
      <button type="button" onClick={() => setOpen(true)}>
        Sign in
      </button>
      {open ? <SignInDialog onClose={() => setOpen(false)} signIn={signIn} /> : null}
    </div>
  );
}

function SignInDialog({ onClose, signIn }: { onClose: () => void; signIn: ReturnType<typeof useAuth>['signIn'] }) {
  const ids = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const result = await signIn(email, password);
    setBusy(false);
    if (result.ok) onClose();
    else setError(result.error.details?.map((d) => `${d.field.replace(/^body\./, '')}: ${d.message}`).join('; ') || result.error.message);
  };

  return (
    <Modal title="Sign in" onClose={onClose}>
      <form className="signin-form" onSubmit={(e) => void onSubmit(e)}>
        <div className="form-row">
          <label htmlFor={`${ids}-email`}>Email</label>
          <input id={`${ids}-email`} type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} data-autofocus required />
        </div>
        <div className="form-row">
          <label htmlFor={`${ids}-password`}>Password</label>
          <input
            id={`${ids}-password`}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </div>
        <FormActions error={error} busy={busy} label="Sign in" busyLabel="Signing in…" onCancel={onClose} />
      </form>
    </Modal>
  );
}
