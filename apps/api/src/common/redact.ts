/** Query parameters whose value is a credential wherever they appear (names compared decoded, in lower case). */
const SECRET_PARAMS = new Set(['share', 'token', 'access_token', 'password', 'secret']);
/**
 * One of Parley's credentials inside a value or a path segment, however the client named the
 * parameter: a share or API token, or a JWT (a session token: base64url JSON, a dot, more).
 */
const CREDENTIAL = /pls_|plt_|eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]/;
/** A value that starts like a JWT is one, even cut short. */
const JWT_START = /^\s*eyJ/;

/** Enough rounds to see through a value encoded twice or three times. */
const DECODE_ROUNDS = 3;

/**
 * Text as the server may read it: `+` a space, `%XX` a byte, decoded again while that changes it.
 * Names and values are compared decoded: `sh%61re=pls_…` is read by the query parser as `share`,
 * so the log must see it so too. A malformed sequence (`%E0%A4%A`) is decoded byte by byte.
 */
function decoded(text: string): string {
  let current = text;
  for (let round = 0; round < DECODE_ROUNDS && /[%+]/.test(current); round++) {
    const spaced = current.replace(/\+/g, ' ');
    let next: string;
    try {
      next = decodeURIComponent(spaced);
    } catch {
      next = spaced.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    }
    if (next === current) break;
    current = next;
  }
  return current;
}

function isSecret(name: string, value: string): boolean {
  const shown = decoded(value);
  return SECRET_PARAMS.has(decoded(name).trim().toLowerCase()) || CREDENTIAL.test(shown) || JWT_START.test(shown);
}

/** A URL as logged: the values of secret query parameters replaced, so no credential reaches a log. */
export function withoutSecrets(url: string): string {
  const hash = url.indexOf('#');
  const fragment = hash >= 0 ? url.slice(hash) : '';
  const beforeHash = hash >= 0 ? url.slice(0, hash) : url;
  const question = beforeHash.indexOf('?');
  const pathPart = question >= 0 ? beforeHash.slice(0, question) : beforeHash;
  // A token pasted into the path (a mistaken link) is a credential too.
  const pathShown = pathPart
    .split('/')
    .map((segment) => (CREDENTIAL.test(decoded(segment)) ? '[redacted]' : segment))
    .join('/');
  if (question < 0) return pathShown + fragment;
  const query = beforeHash
    .slice(question + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      // A credential given as a bare or a misplaced name (`?pls_…`) is cut whole.
      if (eq < 0) return CREDENTIAL.test(decoded(pair)) ? '[redacted]' : pair;
      const name = pair.slice(0, eq);
      if (CREDENTIAL.test(decoded(name))) return '[redacted]';
      return isSecret(name, pair.slice(eq + 1)) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${pathShown}?${query}${fragment}`;
}
