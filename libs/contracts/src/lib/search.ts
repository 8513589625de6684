import { z } from 'zod';
import { POSITIONS } from './positions';
import { enumOf, Id, PlainString, Timestamp } from './primitives';
import { PROPOSAL_KINDS, PROPOSAL_STATUSES } from './review';
import { SOURCE_KINDS } from './sources';

/*
 * Search over a negotiation's texts: `GET /api/negotiations/:id/search?q=`.
 */

/** What a hit can be. `proposal` (review before publish): analysts and admins only; anyone else never gets one. */
export const SEARCH_KINDS = ['stance', 'point', 'provision', 'source', 'archive', 'proposal'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** The text a hit matched in. */
export const SEARCH_FIELDS = ['quote', 'translation', 'note', 'title', 'description', 'outlet', 'text', 'archived', 'reason'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

export const SEARCH_QUERY_MAX = 200;
export const SEARCH_LIMIT_MAX = 100;

export const SearchQuery = z.strictObject({
  q: PlainString.trim()
    .min(1, 'must not be empty')
    .max(SEARCH_QUERY_MAX, `must be at most ${SEARCH_QUERY_MAX} characters`)
    .describe('Words that must all match (case and Latin diacritics ignored); "a quoted phrase" matches its words in a row; a word ending in * matches as a prefix (3 letters or more)'),
  limit: z.coerce
    .number({ error: 'must be an integer' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(SEARCH_LIMIT_MAX, `must be at most ${SEARCH_LIMIT_MAX}`)
    .optional()
    .describe('Most hits to answer (default 20)'),
  kinds: z
    .string({ error: 'must be a string' })
    .transform((s) => s.split(',').map((k) => k.trim()))
    .pipe(z.array(enumOf(SEARCH_KINDS)).min(1, 'must name at least one kind'))
    .optional()
    .describe(`Comma-separated kinds to search: ${SEARCH_KINDS.join(', ')} (default: all)`),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

/** A piece of a snippet: `match` when it is a matched word. Render as text (a <mark> for a match), never as HTML. */
export const SnippetPart = z.object({ text: z.string(), match: z.boolean() });
export type SnippetPart = z.infer<typeof SnippetPart>;

const hitBase = {
  score: z.number().describe('Higher first: see docs/api.md for the formula'),
  field: enumOf(SEARCH_FIELDS),
  snippet: z.array(SnippetPart).describe('The best-matching text around its first match; at most about 200 characters'),
};

export const SearchHit = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('stance'),
    ...hitBase,
    stance: z.object({
      id: Id,
      partyId: Id,
      partyCode: z.string(),
      partyName: z.string(),
      pointId: Id,
      pointCode: z.string(),
      pointTitle: z.string(),
      position: enumOf(POSITIONS),
      effectiveAt: Timestamp,
      recordedAt: Timestamp,
      retracted: z.boolean().describe('A retraction names this event: it is no longer in force'),
      quoteLanguage: z.string().nullable(),
      translationLanguage: z.string().nullable(),
    }),
  }),
  z.object({ kind: z.literal('point'), ...hitBase, point: z.object({ id: Id, code: z.string(), title: z.string() }) }),
  z.object({
    kind: z.literal('provision'),
    ...hitBase,
    provision: z.object({ documentId: Id, documentTitle: z.string(), publishedAt: Timestamp, pointId: Id, pointCode: z.string(), pointTitle: z.string(), number: z.string() }),
  }),
  z.object({
    kind: z.literal('source'),
    ...hitBase,
    source: z.object({ id: Id, kind: enumOf(SOURCE_KINDS), outlet: z.string().nullable(), title: z.string().nullable(), publishedAt: Timestamp.nullable() }),
  }),
  z.object({
    kind: z.literal('archive'),
    ...hitBase,
    source: z.object({ id: Id, kind: enumOf(SOURCE_KINDS), outlet: z.string().nullable(), title: z.string().nullable(), publishedAt: Timestamp.nullable() }),
    archive: z.object({ id: Id, archivedAt: Timestamp }).describe("The source's archived copy the text is from (its latest)"),
  }),
  z.object({
    kind: z.literal('proposal'),
    ...hitBase,
    proposal: z
      .object({
        id: Id,
        kind: enumOf(PROPOSAL_KINDS),
        status: enumOf(PROPOSAL_STATUSES),
        author: z.string(),
        createdAt: Timestamp,
        partyId: Id,
        partyCode: z.string(),
        partyName: z.string(),
        pointId: Id,
        pointCode: z.string(),
        pointTitle: z.string(),
        position: enumOf(POSITIONS).nullable().describe('kind stance: the position proposed'),
      })
      .describe('A proposal waiting for a decision (open, or changes requested): analysts and admins only'),
  }),
]);
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchResult = z.object({
  q: z.string(),
  hits: z.array(SearchHit),
  total: z.number().int().describe('Hits found (before `limit`)'),
  truncated: z.boolean().describe('A kind had more matches than are ranked (the newest 500 of each kind are): narrow the query'),
});
export type SearchResult = z.infer<typeof SearchResult>;
