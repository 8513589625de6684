import { SignJWT, decodeProtectedHeader, jwtVerify } from 'jose';
import { sha256 } from '../common/crypto';

/** Who issues Parley's session tokens and for what: a token made for anything else is refused. */
export const SESSION_ISSUER = 'parley';
export const SESSION_AUDIENCE = 'parley:session';
/** Clocks of nodes sharing a database may differ this much (seconds) without refusing a fresh token. */
export const CLOCK_TOLERANCE_SECONDS = 5;

export interface SessionClaims {
  sub: string;
  sid: string;
  iat: number;
  exp: number;
}

interface Key {
  /** Names the secret in the token's header (a hash: the secret cannot be learnt from it). */
  kid: string;
  bytes: Uint8Array;
}

/**
 * Session tokens (HS256 JWTs) signed and verified with jose: issuer, audience and expiry checked,
 * with a small clock tolerance. The first secret signs; every secret verifies, so a rotated
 * `JWT_SECRET=new,previous` keeps the previous secret's tokens valid until they expire.
 */
export class SessionTokens {
  private readonly keys: Key[];

  constructor(secrets: readonly string[]) {
    if (secrets.length === 0) throw new Error('SessionTokens needs at least one secret');
    this.keys = secrets.map((secret) => ({ kid: sha256(`parley-session-key:${secret}`).slice(0, 16), bytes: new TextEncoder().encode(secret) }));
  }

  sign(claims: SessionClaims): Promise<string> {
    const [key] = this.keys as [Key];
    return new SignJWT({ sid: claims.sid })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: key.kid })
      .setSubject(claims.sub)
      .setIssuer(SESSION_ISSUER)
      .setAudience(SESSION_AUDIENCE)
      .setIssuedAt(claims.iat)
      .setExpirationTime(claims.exp)
      .sign(key.bytes);
  }

  /** The claims of a token one of the secrets signed, for this issuer and audience, not expired at `nowSeconds`; else null. */
  async verify(token: string, nowSeconds: number): Promise<SessionClaims | null> {
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      return null;
    }
    const key = this.keys.find((k) => k.kid === kid);
    if (!key) return null;
    try {
      const { payload } = await jwtVerify(token, key.bytes, {
        algorithms: ['HS256'],
        issuer: SESSION_ISSUER,
        audience: SESSION_AUDIENCE,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(nowSeconds * 1000),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      const { sub, sid, iat, exp } = payload;
      if (typeof sub !== 'string' || typeof sid !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') return null;
      return { sub, sid, iat, exp };
    } catch {
      return null;
    }
  }
}
