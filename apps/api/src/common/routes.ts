/** The import route: it takes CSV as well as JSON, and has its own body limit (IMPORT_LIMIT_BYTES). */
export const IMPORT_ROUTE = '/api/negotiations/import';

/** An export's path: `/api/negotiations/:negotiationId/export.<format>` (the format in group 1). */
export const EXPORT_PATH = /^\/api\/negotiations\/[^/]+\/export\.([^/]*)$/;

/** A source's archived copy (`PUT` takes text/plain, text/html or application/pdf, up to ARCHIVE_LIMIT_BYTES). */
export const ARCHIVE_PATH = /^\/api\/negotiations\/[^/]+\/sources\/[^/]+\/archive$/;
/** The archive route as Fastify registers it (its own body limit is set on it). */
export const ARCHIVE_ROUTE = '/api/negotiations/:negotiationId/sources/:sourceId/archive';
