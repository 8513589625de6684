import type { Role } from '@parley/contracts';

/** Who is calling: a user (by session or API token) or the holder of a share link. */
export type Principal =
  | {
      kind: 'user';
      userId: string;
      email: string;
      name: string;
      role: Role;
      via: 'session' | 'api-token';
      /** The session (via a session token), so logout can end it. */
      sessionId: string | null;
      /** The API token (via a plt_ token), so revoking it can end what it opened. */
      tokenId: string | null;
    }
  | { kind: 'share'; linkId: string; negotiationId: string };

export interface WithPrincipal {
  principal?: Principal | null;
}
