import { StanceCreate, type Confidence, type Position } from '@parley/contracts';

/** What the form holds: strings as typed, '' for "not given". */
export interface StanceFormValues {
  position: Position | '';
  conditions: string;
  note: string;
  quote: string;
  /** The quote's language (a BCP 47 tag: ru, uk, en…) and an optional translation with its own. */
  quoteLanguage: string;
  translation: string;
  translationLanguage: string;
  actorId: string;
  sourceUrl: string;
  outlet: string;
  confidence: Confidence | '';
  effectiveAt: string;
  /** A position announced to take effect later: lets the effective date lie in the future. */
  scheduled: boolean;
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
    note: '',
    quote: '',
    quoteLanguage: '',
    translation: '',
    translationLanguage: '',
    actorId: '',
    sourceUrl: '',
    outlet: '',
    confidence: 'reported',
    effectiveAt: todayUtc(now),
    scheduled: false,
  };
}

const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());

/** The request body for the form's values (not yet validated). */
export function toRequest(
  values: StanceFormValues,
  target: { partyId: string; pointId: string },
  expectedVersion: number,
): Record<string, unknown> {
  const conditions = optional(values.conditions);
  return {
    partyId: target.partyId,
    pointId: target.pointId,
    position: values.position === '' ? undefined : values.position,
    confidence: values.confidence === '' ? undefined : values.confidence,
    effectiveAt: values.effectiveAt,
    scheduled: values.scheduled || undefined,
    source: { url: optional(values.sourceUrl), outlet: optional(values.outlet) },
    conditions: conditions ? { text: conditions } : undefined,
    note: optional(values.note),
    quote: optional(values.quote),
    quoteLanguage: optional(values.quoteLanguage),
    translation: optional(values.translation),
    translationLanguage: optional(values.translationLanguage),
    actorId: optional(values.actorId),
    expectedVersion,
  };
}

/** Maps a schema or API field path ("source.url", "body.source") to the form field that shows it. */
export function fieldOf(path: string): FieldName | null {
  const p = path.replace(/^body\./, '');
  const own: readonly string[] = ['position', 'confidence', 'effectiveAt', 'note', 'quote', 'quoteLanguage', 'translation', 'translationLanguage', 'actorId', 'scheduled'];
  if (own.includes(p)) return p as FieldName;
  if (p === 'source.url') return 'sourceUrl';
  if (p === 'source.outlet' || p === 'source') return 'outlet';
  if (p.startsWith('conditions')) return 'conditions';
  return null;
}

export type FieldErrors = Partial<Record<FieldName, string>>;

/** The form's own rule on top of the API's: a stance entered by hand names its source (the API also takes none, for imports of unsourced history). */
export const SOURCE_NEEDED = 'needs at least a url or an outlet';

/** Validates with the shared StanceCreate schema: the same rules and messages as the API, plus SOURCE_NEEDED. */
export function validate(
  values: StanceFormValues,
  target: { partyId: string; pointId: string },
  expectedVersion: number,
): { ok: true; body: StanceCreate } | { ok: false; errors: FieldErrors; other: string[] } {
  const parsed = StanceCreate.safeParse(toRequest(values, target, expectedVersion));
  const unsourced = optional(values.sourceUrl) === undefined && optional(values.outlet) === undefined;
  if (parsed.success && !unsourced) return { ok: true, body: parsed.data };
  const errors: FieldErrors = unsourced ? { outlet: SOURCE_NEEDED } : {};
  const other: string[] = [];
  if (parsed.success) return { ok: false, errors, other };
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String).join('.');
    const field = fieldOf(path);
    if (field) errors[field] ??= issue.message;
    else other.push(`${path || 'request'}: ${issue.message}`);
  }
  return { ok: false, errors, other };
}
