/**
 * The credential every read is sent with: the session's token when signed in, else a share link's
 * token, else none. The AuthProvider owns it and sets it whenever either changes (before the
 * queries that follow run); getJson, downloads and the live connection read it. Kept outside React
 * so query functions, which run outside render, see the current one.
 */
let current: string | null = null;
const rejectedListeners = new Set<(credential: string) => void>();

export function readCredential(): string | null {
  return current;
}

export function setReadCredential(credential: string | null): void {
  current = credential;
}

/** The Authorization header for the current credential, if any. */
export function authorizationHeader(credential = current): Record<string, string> {
  return credential ? { authorization: `Bearer ${credential}` } : {};
}

/** A read was answered 401 with this credential: it expired or was revoked. */
export function reportRejected(credential: string): void {
  for (const listener of rejectedListeners) listener(credential);
}

export function onRejected(listener: (credential: string) => void): () => void {
  rejectedListeners.add(listener);
  return () => rejectedListeners.delete(listener);
}
