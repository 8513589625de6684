import { z } from 'zod';
import { DateInput, enumOf, Id, LIMITS, LongText, PlainString, Timestamp, Url } from './primitives';

/**
 * What a source is. `paraphrased_reporting`: public reporting retold without an outlet's headline
 * (the speaker, the venue, the date), as the demo's facts are.
 */
export const SOURCE_KINDS = ['official_statement', 'interview', 'press_conference', 'news_report', 'leak', 'document', 'paraphrased_reporting'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** How a kind reads in the dashboard and the reports. */
export const SOURCE_KIND_LABEL: Record<SourceKind, string> = {
  official_statement: 'Official statement',
  interview: 'Interview',
  press_conference: 'Press conference',
  news_report: 'News report',
  leak: 'Leak',
  document: 'Document',
  paraphrased_reporting: 'Public reporting, paraphrased',
};

/** The kind of a source given without one: a news report when it names an outlet, else a document (as the migration chose). */
export const defaultSourceKind = (outlet: string | null | undefined): SourceKind => (outlet ? 'news_report' : 'document');

const SOURCE_TITLE_MAX = 500;
const ExpectedVersion = z
  .number({ error: 'must be an integer' })
  .int('must be an integer')
  .min(0, 'must be 0 or more')
  .describe('The version you last saw; the change is refused with 409 if it is no longer current.');

/** A BCP-47 language tag as people write them: a language, then optionally a script and a region (en, uk, pt-BR, zh-Hant-TW). */
export const LanguageTag = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|\d{3}))?$/, 'must be a BCP-47 language tag like en, uk or pt-BR')
  .describe('BCP-47 language tag, e.g. en, ru, uk, pt-BR');

const Outlet = PlainString.trim().min(1, 'must not be empty').max(LIMITS.title, `must be at most ${LIMITS.title} characters`);
const SourceTitle = PlainString.max(SOURCE_TITLE_MAX, `must be at most ${SOURCE_TITLE_MAX} characters`);

/** The fields that say which source it is (a kind or a language alone names none). */
const identifying = (s: { url?: unknown; outlet?: unknown; title?: unknown; description?: unknown; publishedAt?: unknown }) =>
  [s.url, s.outlet, s.title, s.description, s.publishedAt].some((v) => v !== undefined && v !== null);

export const SourceCreate = z
  .strictObject({
    kind: enumOf(SOURCE_KINDS).optional().describe('Default: news_report when an outlet is given, else document'),
    outlet: Outlet.optional(),
    title: SourceTitle.optional().describe('The headline'),
    url: Url.optional(),
    publishedAt: DateInput.optional(),
    language: LanguageTag.optional(),
    description: LongText.optional().describe('What the source is when it has no headline, e.g. the speaker and the venue'),
  })
  .refine(identifying, { error: 'needs at least a url, an outlet, a title, a description or a publication date' });
export type SourceCreate = z.infer<typeof SourceCreate>;

export const SourcePatch = z.strictObject({
  kind: enumOf(SOURCE_KINDS).optional(),
  outlet: Outlet.nullable().optional(),
  title: SourceTitle.nullable().optional(),
  url: Url.nullable().optional(),
  publishedAt: DateInput.nullable().optional(),
  language: LanguageTag.nullable().optional(),
  description: LongText.nullable().optional(),
  expectedVersion: ExpectedVersion.optional(),
});
export type SourcePatch = z.infer<typeof SourcePatch>;

/** The content types an archived copy is taken in (`PUT …/sources/:sourceId/archive`). */
export const ARCHIVE_CONTENT_TYPES = ['text/plain', 'text/html', 'application/pdf'] as const;
export type ArchiveContentType = (typeof ARCHIVE_CONTENT_TYPES)[number];

/** The stored copy of a source (the latest of its copies): what was stored, when and by whom. */
export const SourceArchive = z.object({
  sha256: z.string().describe('SHA-256 of the stored bytes, lower-case hex'),
  size: z.number().describe('Size of the stored bytes'),
  contentType: enumOf(ARCHIVE_CONTENT_TYPES),
  archivedAt: Timestamp,
  archivedBy: z.string(),
  textLength: z.number().describe('Characters of the plain text extracted from it'),
});
export type SourceArchive = z.infer<typeof SourceArchive>;

/** A negotiation's source: created once, cited by many stances. Never deleted. */
export const Source = z.object({
  id: z.string(),
  negotiationId: z.string(),
  kind: enumOf(SOURCE_KINDS),
  outlet: z.string().nullable(),
  title: z.string().nullable(),
  url: z.string().nullable(),
  publishedAt: z.string().nullable(),
  language: z.string().nullable(),
  description: z.string().nullable(),
  version: z.number(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  archive: SourceArchive.nullable().describe('Its archived copy (the latest one attached), or null when it has none'),
});
export type Source = z.infer<typeof Source>;

export const SourceDetail = Source.extend({ citedBy: z.number().describe('How many stance events cite this source (retracted ones included)') });
export type SourceDetail = z.infer<typeof SourceDetail>;

/**
 * A stance's source, as `POST …/stances` takes it: `{ id }` cites an existing source of the
 * negotiation; the inline fields find the source with the same URL (else the same outlet, title,
 * publication date and description) or create it. An inline shape with nothing in it cites no source.
 */
export const SourceInput = z
  .strictObject({
    id: Id.optional().describe('An existing source of this negotiation (then no other field)'),
    url: Url.optional(),
    outlet: Outlet.optional(),
    title: SourceTitle.optional(),
    publishedAt: DateInput.optional(),
    kind: enumOf(SOURCE_KINDS).optional().describe('For a source created here; default news_report with an outlet, else document'),
    language: LanguageTag.optional(),
    description: LongText.optional(),
  })
  .superRefine((s, ctx) => {
    const inline = Object.entries(s).flatMap(([k, v]) => (k !== 'id' && v !== undefined ? [k] : []));
    if (s.id !== undefined && inline.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['id'], message: `cites an existing source: send either id or the inline fields, not both (also given: ${inline.join(', ')})` });
    } else if (s.id === undefined && inline.length > 0 && !identifying(s)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'needs a url, an outlet, a title, a description or a publication date beside kind and language' });
    }
  });
export type SourceInput = z.infer<typeof SourceInput>;

/** The source a stance cites, as every stance view shows it (from the source record: a correction shows everywhere). All null: it cites none. */
export const CitedSource = z.object({
  id: z.string().nullable(),
  kind: enumOf(SOURCE_KINDS).nullable(),
  url: z.string().nullable(),
  outlet: z.string().nullable(),
  title: z.string().nullable(),
  publishedAt: z.string().nullable(),
  language: z.string().nullable(),
  description: z.string().nullable(),
});
export type CitedSource = z.infer<typeof CitedSource>;

/** Whether an inline shape names a source (else the stance cites none). */
export const citesSource = (s: SourceInput): boolean => s.id !== undefined || identifying(s);
