import type { LoginResult, Role } from '@parley/contracts';

export type Session = Pick<LoginResult, 'token' | 'expiresAt'> & { user: Pick<LoginResult['user'], 'id' | 'email' | 'name' | 'role'> };

const KEY = 'parley.session';

/** The session kept for this tab only (sessionStorage): gone when the tab closes. Expired ones are dropped. */
export function loadSession(now = Date.now()): Session | null {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Partial<Session>;
    if (typeof s.token !== 'string' || !s.user || typeof s.expiresAt !== 'string') return null;
    if (Date.parse(s.expiresAt) <= now) {
      window.sessionStorage.removeItem(KEY);
      return null;
    }
    return s as Session;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  try {
    if (session) window.sessionStorage.setItem(KEY, JSON.stringify(session));
    else window.sessionStorage.removeItem(KEY);
  } catch {
    // Storage can be disabled (private mode); the session then lasts until reload.
  }
}

/** Analysts and admins record stances. */
export function canEdit(role: Role | undefined): boolean {
  return role === 'analyst' || role === 'admin';
}
