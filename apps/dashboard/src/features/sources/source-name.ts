import type { Source } from '@parley/contracts';

/** How a source is named: outlet and headline, else its description. */
export const sourceName = (s: Pick<Source, 'outlet' | 'title' | 'description' | 'url'>): string => [s.outlet, s.title].filter(Boolean).join(' — ') || s.description || s.url || 'Source';

/** A source's publication day (YYYY-MM-DD), or null. */
export const publishedDay = (s: Pick<Source, 'publishedAt'>): string | null => (s.publishedAt ? s.publishedAt.slice(0, 10) : null);

/** One line naming a source in a list: "BBC News Brasil — Headline · 2025-11-20". */
export const sourceLine = (s: Pick<Source, 'outlet' | 'title' | 'description' | 'url' | 'publishedAt'>): string => {
  const day = publishedDay(s);
  return day ? `${sourceName(s)} · ${day}` : sourceName(s);
};

/** Whether a source matches a filter text: every word in its outlet, title, description, URL, language or day (case and accents ignored). */
export function sourceMatches(s: Pick<Source, 'outlet' | 'title' | 'description' | 'url' | 'publishedAt' | 'language'>, text: string): boolean {
  const words = fold(text).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = fold([s.outlet, s.title, s.description, s.url, s.language, publishedDay(s)].filter(Boolean).join(' '));
  return words.every((w) => hay.includes(w));
}

/** Lower case without combining marks: "Zaporizhzhia" finds "Zaporížžia". */
const fold = (t: string) => t.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
