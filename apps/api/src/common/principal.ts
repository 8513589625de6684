import type { Role } from '@parley/contracts';

/** Who is calling: a user (by session or API token) or the holder of a share link. */
export type Principal =
  | { kind: 'user'; userId: string; email: string; name: string; role: Role; via: 'session' | 'api-token'; sessionId: string | null }
  | { kind: 'share'; linkId: string; negotiationId: string };

export interface WithPrincipal {
  principal?: Principal | null;
}
