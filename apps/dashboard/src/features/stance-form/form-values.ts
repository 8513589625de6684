import { RetractInput, StanceCreate, type Confidence, type Position, type SourceKind, type StanceEvent } from '@parley/contracts';

/** How the stance names its source: one the negotiation already has (by id), or a new one entered here. */
export type SourceMode = 'existing' | 'new';

/** What the form holds: strings as typed, '' for "not given". */
export interface StanceFormValues {
  position: Position | '';
  conditions: string;
  /** The points this stance depends on (conditions.pointIds), in the order chosen. */
  conditionPointIds: string[];
  note: string;
  quote: string;
  /** The quote's language (a BCP 47 tag: ru, uk, en…) and an optional translation with its own. */
  quoteLanguage: string;
  translation: string;
  translationLanguage: string;
  actorId: string;
  /** The plan version (document) the stance reacts to; '' none. */
  documentId: string;
  /** The milestone (talks, summit…) the stance was taken at; '' none. */
  milestoneId: string;
  /** null: not chosen yet (the form offers the existing sources when the negotiation has some). */
  sourceMode: SourceMode | null;
  /** The existing source cited (sourceMode 'existing'). */
  sourceId: string;
  /** A new source's fields (sourceMode 'new'): found by the API when it has it already, else created. */
  sourceUrl: string;
  outlet: string;
  sourceTitle: string;
  sourcePublishedAt: string;
  sourceKind: SourceKind | '';
  sourceLanguage: string;
  sourceDescription: string;
  confidence: Confidence | '';
  effectiveAt: string;
  /** A position announced to take effect later: lets the effective date lie in the future. */
  scheduled: boolean;
  /** A correction's reason (kept with the retraction of the event corrected); unused when recording. */
  reason: string;
}

/** The form's fields; a schema path maps to one of them so its message shows next to it. */
export type FieldName = keyof StanceFormValues;

export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function emptyValues(now = new Date()): StanceFormValues {
  return {
    position: '',
    conditions: '',
    conditionPointIds: [],
    note: '',
    quote: '',
    quoteLanguage: '',
    translation: '',
    translationLanguage: '',
    actorId: '',
    documentId: '',
    milestoneId: '',
    sourceMode: null,
    sourceId: '',
    sourceUrl: '',
    outlet: '',
    sourceTitle: '',
    sourcePublishedAt: '',
    sourceKind: '',
    sourceLanguage: '',
    sourceDescription: '',
    confidence: 'reported',
    effectiveAt: todayUtc(now),
    scheduled: false,
    reason: '',
  };
}

/**
 * The form's values for an event (to correct it): its own fields, citing its source by id (an event
 * recorded before sources had ids keeps its inline fields, as a new source the API finds again).
 * The effective date keeps its day: the form edits days.
 */
export function valuesOfEvent(e: StanceEvent): StanceFormValues {
  const s = e.source;
  const inline = s.id === null && [s.url, s.outlet, s.title, s.description, s.publishedAt].some((v) => v !== null);
  return {
    position: e.position,
    conditions: e.conditions.text ?? '',
    conditionPointIds: [...e.conditions.pointIds],
    note: e.note ?? '',
    quote: e.quote ?? '',
    quoteLanguage: e.quoteLanguage ?? '',
    translation: e.translation ?? '',
    translationLanguage: e.translationLanguage ?? '',
    actorId: e.actorId ?? '',
    documentId: e.documentId ?? '',
    milestoneId: e.milestoneId ?? '',
    sourceMode: s.id !== null ? 'existing' : inline ? 'new' : null,
    sourceId: s.id ?? '',
    sourceUrl: inline ? (s.url ?? '') : '',
    outlet: inline ? (s.outlet ?? '') : '',
    sourceTitle: inline ? (s.title ?? '') : '',
    sourcePublishedAt: inline && s.publishedAt ? s.publishedAt.slice(0, 10) : '',
    sourceKind: inline ? (s.kind ?? '') : '',
    sourceLanguage: inline ? (s.language ?? '') : '',
    sourceDescription: inline ? (s.description ?? '') : '',
    confidence: e.confidence,
    effectiveAt: e.effectiveAt.slice(0, 10),
    scheduled: e.scheduled,
    reason: '',
  };
}

const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());

/** The source part of the request: `{ id }` of the chosen source, or the new source's fields. */
function sourceRequest(values: StanceFormValues, mode: SourceMode): Record<string, unknown> {
  if (mode === 'existing') return { id: optional(values.sourceId) };
  return {
    url: optional(values.sourceUrl),
    outlet: optional(values.outlet),
    title: optional(values.sourceTitle),
    publishedAt: optional(values.sourcePublishedAt),
    kind: values.sourceKind === '' ? undefined : values.sourceKind,
    language: optional(values.sourceLanguage),
    description: optional(values.sourceDescription),
  };
}

/** The request body for the form's values (not yet validated); `mode`: how the source is given. */
export function toRequest(
  values: StanceFormValues,
  target: { partyId: string; pointId: string },
  expectedVersion: number,
  mode: SourceMode = values.sourceMode ?? 'new',
): Record<string, unknown> {
  const conditions = optional(values.conditions);
  const pointIds = values.conditionPointIds;
  return {
    partyId: target.partyId,
    pointId: target.pointId,
    position: values.position === '' ? undefined : values.position,
    confidence: values.confidence === '' ? undefined : values.confidence,
    effectiveAt: values.effectiveAt,
    scheduled: values.scheduled || undefined,
    source: sourceRequest(values, mode),
    conditions: conditions || pointIds.length > 0 ? { ...(conditions ? { text: conditions } : {}), ...(pointIds.length > 0 ? { pointIds: [...pointIds] } : {}) } : undefined,
    note: optional(values.note),
    quote: optional(values.quote),
    quoteLanguage: optional(values.quoteLanguage),
    translation: optional(values.translation),
    translationLanguage: optional(values.translationLanguage),
    actorId: optional(values.actorId),
    documentId: optional(values.documentId),
    milestoneId: optional(values.milestoneId),
    expectedVersion,
  };
}

/** A new source's fields by their name in the request's `source`. */
const SOURCE_FIELDS: Record<string, FieldName> = {
  url: 'sourceUrl',
  outlet: 'outlet',
  title: 'sourceTitle',
  publishedAt: 'sourcePublishedAt',
  kind: 'sourceKind',
  language: 'sourceLanguage',
  description: 'sourceDescription',
  id: 'sourceId',
};

/**
 * Maps a schema or API field path ("source.url", "body.source.id") to the form field that shows it;
 * a problem with the source as a whole shows at the picker when citing an existing one, else at the outlet.
 */
export function fieldOf(path: string, mode: SourceMode = 'new'): FieldName | null {
  const p = path.replace(/^body\./, '');
  const own: readonly string[] = [
    'position',
    'confidence',
    'effectiveAt',
    'note',
    'quote',
    'quoteLanguage',
    'translation',
    'translationLanguage',
    'actorId',
    'scheduled',
    'documentId',
    'milestoneId',
    'reason',
  ];
  if (own.includes(p)) return p as FieldName;
  if (p === 'source') return mode === 'existing' ? 'sourceId' : 'outlet';
  if (p.startsWith('source.')) return SOURCE_FIELDS[p.slice('source.'.length)] ?? (mode === 'existing' ? 'sourceId' : 'outlet');
  if (p === 'conditions.pointIds' || p.startsWith('conditions.pointIds.')) return 'conditionPointIds';
  if (p === 'conditions' || p.startsWith('conditions.')) return 'conditions';
  return null;
}

export type FieldErrors = Partial<Record<FieldName, string>>;

/** The form's own rules on top of the API's: a stance entered by hand names its source (the API also takes none, for imports of unsourced history). */
export const SOURCE_NEEDED = 'needs at least a url, an outlet, a title or a description';
export const SOURCE_NOT_CHOSEN = 'choose one of the negotiation’s sources, or enter a new one';

/** Validates with the shared StanceCreate schema: the same rules and messages as the API, plus the form's own source rules. */
export function validate(
  values: StanceFormValues,
  target: { partyId: string; pointId: string },
  expectedVersion: number,
  mode: SourceMode = values.sourceMode ?? 'new',
  /** A correction: its reason is required too (the shared rule of a retraction's reason). */
  correcting = false,
): { ok: true; body: StanceCreate } | { ok: false; errors: FieldErrors; other: string[] } {
  const parsed = StanceCreate.safeParse(toRequest(values, target, expectedVersion, mode));
  const own: FieldErrors = {};
  if (correcting) {
    const reason = RetractInput.shape.reason.safeParse(values.reason);
    if (!reason.success) own.reason = reason.error.issues[0]?.message ?? 'is not valid';
  }
  if (mode === 'existing' && optional(values.sourceId) === undefined) own.sourceId = SOURCE_NOT_CHOSEN;
  if (mode === 'new' && [values.sourceUrl, values.outlet, values.sourceTitle, values.sourceDescription].every((v) => optional(v) === undefined)) own.outlet = SOURCE_NEEDED;
  const refused = Object.keys(own).length > 0;
  if (parsed.success && !refused) return { ok: true, body: parsed.data };
  const errors: FieldErrors = { ...own };
  const other: string[] = [];
  if (parsed.success) return { ok: false, errors, other };
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String).join('.');
    const field = fieldOf(path, mode);
    if (field) errors[field] ??= issue.message;
    else other.push(`${path || 'request'}: ${issue.message}`);
  }
  return { ok: false, errors, other };
}
