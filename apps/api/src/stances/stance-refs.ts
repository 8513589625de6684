import type { RefKind } from '../refs/refs.service';

/** The references a stance's body holds (ids or codes), for `@TakesRefs`: under `prefix` (`events.*.`, `stance.`). */
export const stanceRefs = (prefix = ''): Record<string, RefKind> => ({
  [`${prefix}partyId`]: 'party',
  [`${prefix}pointId`]: 'point',
  [`${prefix}conditions.pointIds.*`]: 'point',
  [`${prefix}documentId`]: 'document',
});
