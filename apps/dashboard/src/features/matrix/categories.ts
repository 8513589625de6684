import type { PointCategory } from '@parley/contracts';

export const CATEGORY_LABEL: Readonly<Record<PointCategory, string>> = {
  territory: 'Territory',
  security_guarantees: 'Security guarantees',
  military: 'Military',
  sanctions: 'Sanctions',
  economy: 'Economy',
  humanitarian: 'Humanitarian',
  political: 'Political',
  legal: 'Legal',
};
