import { SOURCE_KIND_LABEL, type Corroboration, type StanceEvent } from '@parley/contracts';

/** The stance's conditions as one line of text, or null when it has none. */
export function conditionsText(stance: StanceEvent, pointCodes?: ReadonlyMap<string, string>): string | null {
  const parts: string[] = [];
  const text = stance.conditions.text?.trim();
  if (text) parts.push(text);
  if (stance.conditions.pointIds.length > 0) {
    const codes = stance.conditions.pointIds.map((id) => pointCodes?.get(id) ?? id);
    parts.push(`Depends on ${codes.join(', ')}`);
  }
  return parts.length > 0 ? parts.join(' — ') : null;
}

/** "2025-11-21" for day-precision times, "2025-11-21 14:30 UTC" for exact ones. */
export function formatEffective(stance: Pick<StanceEvent, 'effectiveAt' | 'effectivePrecision'>): string {
  const iso = stance.effectiveAt;
  return stance.effectivePrecision === 'day' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/**
 * "scheduled from 2026-02-01" while a scheduled position (announced ahead, see `scheduled`) has not
 * yet taken effect, else null: the current matrix shows the latest stance by effective date, which
 * for such a cell lies in the future.
 */
export function scheduledText(stance: Pick<StanceEvent, 'effectiveAt' | 'effectivePrecision' | 'scheduled'>, now = Date.now()): string | null {
  return stance.scheduled && Date.parse(stance.effectiveAt) > now ? `scheduled from ${formatEffective(stance)}` : null;
}

/** Where the stance was reported, for the tooltip: the source's kind and what names it ("News report: Reuters"). */
export function sourceText(stance: StanceEvent): string | null {
  const { kind, outlet, title, url, description } = stance.source;
  const name = outlet ?? title ?? description ?? url ?? null;
  if (name === null) return null;
  return kind ? `${SOURCE_KIND_LABEL[kind]}: ${name}` : name;
}

/** Everything the source record says, for a stance's detail: kind, outlet — title, publication day, language, description. */
export function sourceDetail(stance: StanceEvent): { kind: string | null; headline: string; published: string | null; language: string | null; description: string | null } | null {
  const { kind, outlet, title, url, publishedAt, language, description } = stance.source;
  if (!outlet && !title && !url && !description && !publishedAt) return null;
  return {
    kind: kind ? SOURCE_KIND_LABEL[kind] : null,
    headline: [outlet, title].filter(Boolean).join(' — '),
    published: publishedAt ? publishedAt.slice(0, 10) : null,
    language,
    description,
  };
}

/**
 * Who supports a stance in force (libs/domain corroboration.ts): "corroborated by 2 independent
 * outlets", "single source", "single outlet (3 sources)", "2 sources, none naming an outlet", or
 * "no source cited".
 */
export function corroborationText(c: Corroboration): string {
  if (c.corroborated) return `corroborated by ${c.outlets} independent outlets`;
  if (c.sources === 0) return 'no source cited';
  if (c.sources === 1) return 'single source';
  return c.outlets === 1 ? `single outlet (${c.sources} sources)` : `${c.sources} sources, none naming an outlet`;
}
