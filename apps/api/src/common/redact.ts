/** Query parameters whose value is a credential wherever they appear. */
const SECRET_PARAMS = /([?&](?:share|token|access_token|password|secret)=)[^&#]*/gi;
/**
 * Any other query value that is one of Parley's credentials: a share or API token, or a JWT
 * (a session token), however the client named the parameter.
 */
const CREDENTIAL_VALUES = /([?&][^=&#]*=)(?:pls_|plt_|eyJ)[^&#]*/g;

/** A URL as logged: the values of secret query parameters replaced, so no credential reaches a log. */
export function withoutSecrets(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]').replace(CREDENTIAL_VALUES, '$1[redacted]');
}
