import type { DemoSource } from './demo-dataset';

/** The seed article's headline: the first line of the article as the project holds it (an English rendering of the BBC News Brasil report). */
export const SEED_HEADLINE = 'NATO discusses the next steps after Putin rejected the peace agreement in Ukraine: “We face real risks”';

/** The seed article: BBC News Brasil, 3 December 2025. No URL: the seed files give none. */
export const SEED: DemoSource = { kind: 'news_report', outlet: 'BBC News Brasil', title: SEED_HEADLINE, publishedAt: '2025-12-03', language: 'en' };

/** A fact of FACTS.md: public reporting, paraphrased; `description` is its speaker and venue as FACTS.md gives them. */
export function paraphrased(description: string, publishedAt: string): DemoSource {
  return { kind: 'paraphrased_reporting', description, publishedAt };
}

