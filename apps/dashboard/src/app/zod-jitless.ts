import { z } from 'zod';

/**
 * zod 4 compiles object parsers with `new Function` when it can, and probes for that once with
 * `new Function('')`. Under Parley's CSP (`script-src 'self'`, no 'unsafe-eval') the probe is
 * refused and reported as a CSP violation on every dashboard load, although zod catches it. The
 * dashboard parses little, so the interpreted parsers cost nothing noticeable.
 *
 * zod decides when a schema is built (at import of @parley/contracts), so this module must be
 * evaluated first: it is the first import of main.tsx.
 */
z.config({ jitless: true });
