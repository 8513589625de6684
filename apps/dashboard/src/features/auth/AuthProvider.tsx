import type { LoginResult } from '@parley/contracts';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { canEdit, loadSession, saveSession, type Session } from './session';
import { postJson, type WriteResult } from './write';

export interface AuthState {
  session: Session | null;
  /** Signed in as analyst or admin: cells can be edited. */
  analyst: boolean;
  /** Why the user was signed out, if it was not their choice. */
  notice: string | null;
  signIn: (email: string, password: string) => Promise<WriteResult<LoginResult>>;
  signOut: () => Promise<void>;
  /** The API answered 401 to a write: forget the session and say so. */
  expire: () => void;
  dismissNotice: () => void;
}

const signedOut: AuthState = {
  session: null,
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

export function AuthProvider({ children, initial }: { children: ReactNode; initial?: Session | null }) {
  const [session, setSession] = useState<Session | null>(() => (initial === undefined ? loadSession() : initial));
  const [notice, setNotice] = useState<string | null>(null);

  const update = useCallback((next: Session | null) => {
    saveSession(next);
    setSession(next);
  }, []);

  const signIn = useCallback(
    async (email: string, password: string) => {
      const result = await postJson<LoginResult>('/auth/login', { email, password });
      if (result.ok) {
        const { token, expiresAt, user } = result.body;
        update({ token, expiresAt, user: { id: user.id, email: user.email, name: user.name, role: user.role } });
        setNotice(null);
      }
      return result;
    },
    [update],
  );

  const signOut = useCallback(async () => {
    const token = session?.token;
    update(null);
    // Best effort: the token stops working on the server; the tab forgets it either way.
    if (token) await postJson('/auth/logout', undefined, { token });
  }, [session, update]);

  const expire = useCallback(() => {
    update(null);
    setNotice('Your session expired. Sign in again to continue editing.');
  }, [update]);

  const value = useMemo<AuthState>(
    () => ({
      session,
      analyst: canEdit(session?.user.role),
      notice,
      signIn,
      signOut,
      expire,
      dismissNotice: () => setNotice(null),
    }),
    [session, notice, signIn, signOut, expire],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
