/** The import route: it takes CSV as well as JSON, and has its own body limit (IMPORT_LIMIT_BYTES). */
export const IMPORT_ROUTE = '/api/negotiations/import';

/** An export's path: `/api/negotiations/:negotiationId/export.<format>` (the format in group 1). */
export const EXPORT_PATH = /^\/api\/negotiations\/[^/]+\/export\.([^/]*)$/;
