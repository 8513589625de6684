import type { ImportProblem } from '@parley/contracts';
import { AppError } from '../common/app-error';

/** A real import with problems: nothing is written, and the answer lists them (the first 20 in the message). */
export function importRefused(problems: ImportProblem[]): AppError {
  const shown = problems.slice(0, 20);
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
  return new AppError(
    400,
    'VALIDATION_FAILED',
    `Import refused, nothing was imported: ${shown.map((p) => `${p.field}: ${p.message}`).join('; ')}${more}`,
    problems.slice(0, 1_000).map((p) => ({ field: p.field, message: p.message })),
  );
}
