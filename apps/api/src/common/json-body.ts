import { errorCodes, type FastifyRequest } from 'fastify';
import { AppError } from './app-error';

// secure-json-parse's tests (which Fastify's default parser runs): a key spelled __proto__ or
// constructor, also with \u escapes. Only a body that matches is walked.
const SUSPECT_PROTO = /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"\s*:/;
const SUSPECT_CONSTRUCTOR = /"(?:c|\\u0063)(?:o|\\u006[Ff])(?:n|\\u006[Ee])(?:s|\\u0073)(?:t|\\u0074)(?:r|\\u0072)(?:u|\\u0075)(?:c|\\u0063)(?:t|\\u0074)(?:o|\\u006[Ff])(?:r|\\u0072)"\s*:/;

const own = (node: object, key: string) => Object.prototype.hasOwnProperty.call(node, key);

/** Where a parsed body holds (as a field path like `events.0.__proto__`) a key that could poison prototypes (`__proto__`, `constructor.prototype`), if anywhere. */
function forbiddenKeyOf(root: unknown): { field: string; key: string } | null {
  let level: Array<{ node: unknown; at: string }> = [{ node: root, at: '' }];
  while (level.length > 0) {
    const next: typeof level = [];
    for (const { node, at } of level) {
      if (node === null || typeof node !== 'object') continue;
      if (own(node, '__proto__')) return { field: `${at}__proto__`, key: '__proto__' };
      const ctor = (node as Record<string, unknown>)['constructor'];
      if (own(node, 'constructor') && ctor !== null && typeof ctor === 'object' && own(ctor, 'prototype')) {
        return { field: `${at}constructor.prototype`, key: 'constructor.prototype' };
      }
      for (const [key, value] of Object.entries(node)) next.push({ node: value, at: `${at}${key}.` });
    }
    level = next;
  }
  return null;
}

/**
 * The JSON body parser. Fastify's own refuses a `__proto__` or `constructor.prototype` key too, but
 * as "Body is not valid JSON" (it drops secure-json-parse's reason); this one says what is refused.
 */
export function parseJsonBody(_request: FastifyRequest, body: string, done: (err: Error | null, body?: unknown) => void): void {
  if (body.length === 0) return done(new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY());
  let parsed: unknown;
  try {
    // A byte-order mark is allowed, as Fastify's parser allows it.
    parsed = JSON.parse(body.charCodeAt(0) === 0xfeff ? body.slice(1) : body);
  } catch {
    return done(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY());
  }
  if (SUSPECT_PROTO.test(body) || SUSPECT_CONSTRUCTOR.test(body)) {
    const forbidden = forbiddenKeyOf(parsed);
    if (forbidden) {
      const message = `Body contains a forbidden key "${forbidden.key}" (${forbidden.field}): it could alter object prototypes and is never accepted; nothing was changed`;
      return done(new AppError(400, 'VALIDATION_FAILED', message, [{ field: forbidden.field, message: `"${forbidden.key}" is a forbidden key` }]));
    }
  }
  done(null, parsed);
}
