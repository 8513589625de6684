/** The ordered position scale. Order matters: from most to least favourable. */
export const POSITIONS = ['accept', 'conditional', 'amend', 'unclear', 'reject', 'red_line'] as const;
export type Position = (typeof POSITIONS)[number];

export const POSITION_SCORE: Readonly<Record<Position, number>> = {
  accept: 2,
  conditional: 1,
  amend: 0,
  unclear: 0,
  reject: -1,
  red_line: -2,
};

export const POSITION_LABEL: Readonly<Record<Position, string>> = {
  accept: 'Accept',
  conditional: 'Conditional',
  amend: 'Amend',
  unclear: 'Unclear',
  reject: 'Reject',
  red_line: 'Red line',
};

export const CONFIDENCES = ['official', 'reported', 'leaked', 'unverified'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export const POINT_CATEGORIES = [
  'territory',
  'security_guarantees',
  'military',
  'sanctions',
  'economy',
  'humanitarian',
  'political',
  'legal',
] as const;
export type PointCategory = (typeof POINT_CATEGORIES)[number];

export const PARTY_KINDS = ['state', 'bloc', 'organization', 'mediator', 'other'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

export const NEGOTIATION_STATUSES = ['draft', 'active', 'suspended', 'concluded', 'abandoned'] as const;
export type NegotiationStatus = (typeof NEGOTIATION_STATUSES)[number];

/**
 * Whether a negotiation's stance changes need a second person before viewers see them: `off`
 * (published when saved) or `required` (an analyst's change becomes a proposal that another analyst
 * or an admin approves).
 */
export const REVIEW_POLICIES = ['off', 'required'] as const;
export type ReviewPolicy = (typeof REVIEW_POLICIES)[number];

export const MILESTONE_KINDS = ['meeting', 'deadline', 'leak', 'statement', 'publication', 'other'] as const;
export type MilestoneKind = (typeof MILESTONE_KINDS)[number];

/** How exactly `effectiveAt` is known: a calendar day (UTC) or an exact instant. */
export const TIME_PRECISIONS = ['day', 'time'] as const;
export type TimePrecision = (typeof TIME_PRECISIONS)[number];

export const LINEAGE_KINDS = ['split', 'merge', 'reworded'] as const;
export type LineageKind = (typeof LINEAGE_KINDS)[number];

export interface Swatch {
  /** Cell fill, #rrggbb. */
  background: string;
  /** Text colour on that fill, #rrggbb. */
  color: string;
}

/**
 * Position colours, shared by the dashboard and the reports: a blue–grey–orange/red diverging scale
 * (after ColorBrewer RdBu/PuOr) that stays distinguishable with deuteranopia and protanopia, since
 * the two ends differ on the blue–yellow axis and neighbours differ in lightness. Colour is never the
 * only cue: every cell also shows its label. Text colours give at least 4.5:1 contrast (WCAG AA).
 */
export const POSITION_SWATCH: Readonly<Record<Position, Swatch>> = {
  accept: { background: '#2166ac', color: '#ffffff' },
  conditional: { background: '#67a9cf', color: '#0b2239' },
  amend: { background: '#c9c9c9', color: '#1a1a1a' },
  unclear: { background: '#ececec', color: '#333333' },
  reject: { background: '#f4a259', color: '#2b1600' },
  red_line: { background: '#b2182b', color: '#ffffff' },
};

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
