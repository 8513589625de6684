import './auth.css';
import { useId, useState, type FormEvent } from 'react';
import { asApiError } from '../../shared/api';
import { FormActions } from '../modal/FormActions';
import { Modal } from '../modal/Modal';
import { useAuth } from './AuthProvider';
import { ChangePasswordDialog } from './ChangePasswordDialog';

/**
 * Header control: "Sign in" (a dialog), or the signed-in user's account menu (change password, sign
 * out), or for a share link a "read only" mark; says when a session expired or a link stopped working.
 */
export function SignIn() {
  const { session, shareView, notice, signOut, dismissNotice } = useAuth();
  const [open, setOpen] = useState<'sign-in' | 'password' | null>(null);

  if (session) {
    return (
      <div className="auth">
        <details className="account-menu">
          <summary>
            {session.user.name || session.user.email} <span className="auth__role">({session.user.role})</span>
          </summary>
          <div className="account-menu__body" role="group" aria-label="Account">
            <span className="account-menu__email">{session.user.email}</span>
            <button type="button" onClick={() => setOpen('password')}>
              Change password
            </button>
          </div>
        </details>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
        {open === 'password' ? <ChangePasswordDialog onClose={() => setOpen(null)} /> : null}
      </div>
    );
  }
  if (shareView) {
    return (
      <p className="auth auth__shared" title="Opened with a share link: this negotiation only, read only">
        Shared view · read only
      </p>
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
      <button type="button" onClick={() => setOpen('sign-in')}>
        Sign in
      </button>
      {open === 'sign-in' ? (
        <Modal title="Sign in" onClose={() => setOpen(null)}>
          <SignInForm onDone={() => setOpen(null)} onCancel={() => setOpen(null)} />
        </Modal>
      ) : null}
    </div>
  );
}

/**
 * What a private installation (VIEW_ACCESS=private) shows before anything can be read: a sign-in
 * form in the page, not an error. After signing in the dashboard loads.
 */
export function SignInScreen() {
  const { notice } = useAuth();
  const headingId = useId();
  return (
    <section className="signin-screen" aria-labelledby={headingId}>
      <h2 id={headingId}>Sign in to Parley</h2>
      {notice ? (
        <p className="notice" role="alert">
          {notice}
        </p>
      ) : null}
      <p>This Parley is private: sign in to see its negotiations, or open the share link you were given.</p>
      <SignInForm />
    </section>
  );
}

function SignInForm({ onDone, onCancel }: { onDone?: () => void; onCancel?: () => void }) {
  const { signIn } = useAuth();
  const ids = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
    } catch (err) {
      const refused = asApiError(err);
      setBusy(false);
      setError(refused.details.map((d) => `${d.field.replace(/^body\./, '')}: ${d.message}`).join('; ') || refused.message);
      return;
    }
    setBusy(false);
    onDone?.();
  };

  return (
    <form className="signin-form" onSubmit={(e) => void onSubmit(e)}>
      <div className="form-row">
        <label htmlFor={`${ids}-email`}>Email</label>
        <input id={`${ids}-email`} type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} data-autofocus required />
      </div>
      <div className="form-row">
        <label htmlFor={`${ids}-password`}>Password</label>
        <input id={`${ids}-password`} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </div>
      {onCancel ? (
        <FormActions error={error} busy={busy} label="Sign in" busyLabel="Signing in…" onCancel={onCancel} />
      ) : (
        <>
          {error ? (
            <p className="form-error" role="alert">
              {error}
            </p>
          ) : null}
          <div className="form-actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </div>
        </>
      )}
    </form>
  );
}
