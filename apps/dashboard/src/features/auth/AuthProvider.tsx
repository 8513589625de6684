import type { LoginResult } from '@parley/contracts';
import { QueryClientContext } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { postJson } from '../../shared/api';
import { onRejected, setReadCredential } from '../../shared/credentials';
import { canEdit, loadSession, saveSession, type Session } from './session';
import { saveShare, takeShareFromUrl } from './share-link';

export interface AuthState {
  session: Session | null;
  /** What reads are sent with: the session's token, else the share link's, else null. */
  credential: string | null;
  /** Opened through a share link and not signed in: one negotiation, read only. */
  shareView: boolean;
  /** Signed in as analyst or admin: cells can be edited. */
  analyst: boolean;
  /** Why the user was signed out or the share link dropped, if it was not their choice. */
  notice: string | null;
  /** Signs in; a refusal is thrown as an ApiError. */
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** The API answered 401 to a write: forget the session and say so (what is on screen stays, form entries too). */
  expire: () => void;
  dismissNotice: () => void;
}

const signedOut: AuthState = {
  session: null,
  credential: null,
  shareView: false,
  analyst: false,
  notice: null,
  signIn: () => Promise.reject(new Error('No AuthProvider')),
  signOut: () => Promise.resolve(),
  expire: () => undefined,
  dismissNotice: () => undefined,
};

const AuthContext = createContext<AuthState>(signedOut);

export function useAuth(): AuthState {
  return useContext(AuthContext);
}

export const SESSION_EXPIRED = 'Your session expired. Sign in again to continue.';
export const SHARE_REFUSED = 'This share link no longer works: it was revoked or has expired. Ask whoever shared it for a new link, or sign in.';

interface Credentials {
  session: Session | null;
  share: string | null;
}

const credentialOf = (c: Credentials): string | null => c.session?.token ?? c.share;

interface Props {
  children: ReactNode;
  /** Tests: start with this session instead of the tab's. */
  initial?: Session | null;
  /** Tests: start with this share token instead of the page URL's or the tab's. */
  initialShare?: string | null;
}

/**
 * The tab's credentials: a session (signing in and out) and a share link taken from the page URL.
 * Every change sets the credential reads are sent with and refetches what is on screen with it; a
 * credential the API refuses is forgotten with a notice saying why.
 */
export function AuthProvider({ children, initial, initialShare }: Props) {
  const queryClient = useContext(QueryClientContext);
  const [creds, setCreds] = useState<Credentials>(() => {
    const start = { session: initial === undefined ? loadSession() : initial, share: initialShare === undefined ? takeShareFromUrl() : initialShare };
    // Before the first query runs (the children's, after this render).
    setReadCredential(credentialOf(start));
    return start;
  });
  const [notice, setNotice] = useState<string | null>(null);
  const current = useRef(creds);

  /** Every change of credentials goes through here, in an event, before any refetch. */
  const change = useCallback(
    (next: Credentials, refetch: 'refresh' | 'reset' | 'none') => {
      saveSession(next.session);
      saveShare(next.share);
      current.current = next;
      setReadCredential(credentialOf(next));
      setCreds(next);
      // What is on screen was read with the old credential. Signing out forgets it at once (private
      // data must not linger); otherwise the old answers stay visible until the new ones arrive.
      if (refetch === 'reset') void queryClient?.resetQueries();
      else if (refetch === 'refresh') void queryClient?.invalidateQueries();
    },
    [queryClient],
  );

  const signIn = useCallback(
    async (email: string, password: string) => {
      const { token, expiresAt, user } = await postJson<LoginResult>('/auth/login', { email, password });
      // A share link is not needed any more once signed in.
      change({ session: { token, expiresAt, user: { id: user.id, email: user.email, name: user.name, role: user.role } }, share: null }, 'refresh');
      setNotice(null);
    },
    [change],
  );

  const signOut = useCallback(async () => {
    const token = current.current.session?.token;
    change({ ...current.current, session: null }, 'reset');
    // Best effort: the token stops working on the server; the tab forgets it either way.
    if (token) await postJson('/auth/logout', undefined, { token }).catch(() => undefined);
  }, [change]);

  /** Forgets a session the API refused. After a write, nothing is refetched: an open form keeps its entries until the user signs in again. */
  const forgetSession = useCallback(
    (refetch: 'refresh' | 'none') => {
      if (!current.current.session) return;
      change({ ...current.current, session: null }, refetch);
      setNotice(SESSION_EXPIRED);
    },
    [change],
  );
  const expire = useCallback(() => forgetSession('none'), [forgetSession]);

  useEffect(
    () =>
      onRejected((credential) => {
        // Only the credential in use counts: a late 401 for one already replaced changes nothing.
        const now = current.current;
        if (credential !== credentialOf(now)) return;
        if (now.session?.token === credential) return forgetSession('refresh');
        change({ ...now, share: null }, 'refresh');
        setNotice(SHARE_REFUSED);
      }),
    [change, forgetSession],
  );

  const value = useMemo<AuthState>(
    () => ({
      session: creds.session,
      credential: credentialOf(creds),
      shareView: creds.session === null && creds.share !== null,
      analyst: canEdit(creds.session?.user.role),
      notice,
      signIn,
      signOut,
      expire,
      dismissNotice: () => setNotice(null),
    }),
    [creds, notice, signIn, signOut, expire],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
