import { SignJWT, UnsecuredJWT } from 'jose';
import { CLOCK_TOLERANCE_SECONDS, SESSION_AUDIENCE, SESSION_ISSUER, SessionTokens } from './session-tokens';

const OLD = 'the-previous-secret-of-at-least-32-characters';
const NEW = 'the-current-secret-of-at-least-32-characters!';
const NOW = 1_800_000_000;
const claims = { sub: 'user-1', sid: 'session-1', iat: NOW, exp: NOW + 3600 };

/** The `kid` SessionTokens puts in a token signed with `secret`. */
async function kidOf(secret: string): Promise<string> {
  const token = await new SessionTokens([secret]).sign(claims);
  return (JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid;
}

describe('SessionTokens', () => {
  it('verifies what it signed, with the issuer and audience set, until the token expires (give or take the clock tolerance)', async () => {
    const tokens = new SessionTokens([NEW]);
    const token = await tokens.sign(claims);
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(payload).toMatchObject({ iss: SESSION_ISSUER, aud: SESSION_AUDIENCE, sub: 'user-1', sid: 'session-1' });
    expect(await tokens.verify(token, NOW + 10)).toEqual(claims);
    expect(await tokens.verify(token, claims.exp + CLOCK_TOLERANCE_SECONDS - 1)).toEqual(claims);
    expect(await tokens.verify(token, claims.exp + CLOCK_TOLERANCE_SECONDS + 1)).toBeNull();
    // Issued a little in the future by a node whose clock runs ahead: still accepted.
    expect(await tokens.verify(token, NOW - CLOCK_TOLERANCE_SECONDS + 1)).toEqual(claims);
  });

  it('keeps the previous secret’s tokens valid after a rotation, and signs with the first secret', async () => {
    const before = await new SessionTokens([OLD]).sign(claims);
    const rotated = new SessionTokens([NEW, OLD]);
    expect(await rotated.verify(before, NOW)).toEqual(claims);
    const after = await rotated.sign(claims);
    expect(await new SessionTokens([NEW]).verify(after, NOW)).toEqual(claims);
    expect(await new SessionTokens([OLD]).verify(after, NOW)).toBeNull();
    // Once the previous secret is dropped, its tokens stop working.
    expect(await new SessionTokens([NEW]).verify(before, NOW)).toBeNull();
  });

  it('refuses a token for another issuer or audience, a tampered one, an unsigned one, and garbage', async () => {
    const key = new TextEncoder().encode(NEW);
    const kid = await kidOf(NEW);
    const other = (iss: string, aud: string) =>
      new SignJWT({ sid: 'session-1' }).setProtectedHeader({ alg: 'HS256', kid }).setSubject('user-1').setIssuer(iss).setAudience(aud).setIssuedAt(NOW).setExpirationTime(NOW + 3600).sign(key);
    const tokens = new SessionTokens([NEW]);
    expect(await tokens.verify(await other(SESSION_ISSUER, SESSION_AUDIENCE), NOW)).toEqual(claims);
    expect(await tokens.verify(await other('someone-else', SESSION_AUDIENCE), NOW)).toBeNull();
    expect(await tokens.verify(await other(SESSION_ISSUER, 'parley:api-token'), NOW)).toBeNull();

    const good = await tokens.sign(claims);
    const [header, , signature] = good.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'admin', sid: 'session-1', iss: SESSION_ISSUER, aud: SESSION_AUDIENCE, iat: NOW, exp: NOW + 3600 })).toString('base64url');
    expect(await tokens.verify(`${header}.${forged}.${signature}`, NOW)).toBeNull();

    const unsigned = new UnsecuredJWT({ sid: 'session-1' }).setSubject('user-1').setIssuer(SESSION_ISSUER).setAudience(SESSION_AUDIENCE).setIssuedAt(NOW).setExpirationTime(NOW + 3600).encode();
    expect(await tokens.verify(unsigned, NOW)).toBeNull();
    for (const junk of ['', 'a.b.c', 'not a token', `${header}..`]) expect(await tokens.verify(junk, NOW)).toBeNull();
  });

  it('refuses a token without a session id', async () => {
    const key = new TextEncoder().encode(NEW);
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', kid: await kidOf(NEW) }).setSubject('user-1').setIssuer(SESSION_ISSUER).setAudience(SESSION_AUDIENCE).setIssuedAt(NOW).setExpirationTime(NOW + 3600).sign(key);
    expect(await new SessionTokens([NEW]).verify(token, NOW)).toBeNull();
  });
});
