import { z } from 'zod';
import {
  CHANGE_KINDS,
} from './changes';
import {
  CONFIDENCES,
  LINEAGE_KINDS,
  MILESTONE_KINDS,
  NEGOTIATION_STATUSES,
  PARTY_KINDS,
  POINT_CATEGORIES,
  POSITIONS,
  REVIEW_POLICIES,
  TIME_PRECISIONS,
} from './positions';
import { Code, Color, DateInput, enumOf, Id, LIMITS, LongText, PlainString, ShortText, Title, Url } from './primitives';
import { ARCHIVE_CONTENT_TYPES, LanguageTag, SOURCE_KINDS } from './sources';

// ---------- exports ----------
export const EXPORT_FORMATS = ['pdf', 'xlsx', 'csv', 'json', 'md'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CSV_TABLES = ['matrix', 'changes'] as const;

/** Row status filter, as the dashboard's: agreed / blocked / open (stated, neither) / none (no positions). */
export const ROW_STATUSES = ['agreed', 'blocked', 'open', 'none'] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

const yes = z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }).transform((v) => v === 'true' || v === '1');

/** What every report export accepts: the bitemporal bounds, the changes window, and the dashboard's filters. */
export const ExportQuery = z.strictObject({
  asOf: DateInput.optional().describe('Positions as the sources say they were at this time (a day means its end)'),
  knownAt: DateInput.optional().describe('Only what Parley had recorded by this time'),
  since: DateInput.optional().describe(
    'List the stance changes effective from this time to asOf (or now); a day (YYYY-MM-DD) includes that whole day. After asOf is a 400',
  ),
  recordedSince: DateInput.optional().describe(
    'List the stance changes recorded (or retracted) after this time, whatever their effective date; a day includes that whole day',
  ),
  documentId: Id.optional().describe('Number and order the points as in this document'),
  category: enumOf(POINT_CATEGORIES).optional().describe('Only points of this category'),
  status: enumOf(ROW_STATUSES).optional().describe('Only points whose row is agreed, blocked, open or none'),
  parties: PlainString.max(LIMITS.shortText * 4, `must be at most ${LIMITS.shortText * 4} characters`)
    .optional()
    .describe('Party columns to show: codes, comma-separated (default all)'),
  q: PlainString.max(LIMITS.shortText, `must be at most ${LIMITS.shortText} characters`).optional().describe('Only points whose code, number, title or text contains every word'),
  table: enumOf(CSV_TABLES).optional().describe('CSV only: the matrix (default) or the change log of stance events'),
  bom: yes.optional().describe('CSV only: start with a UTF-8 byte-order mark (for Excel on Windows)'),
  includeProposals: yes
    .optional()
    .describe(
      'export.json only, analysts and admins only (403 otherwise): adds the negotiation\'s proposals (review before publish) as a last section `proposals`, oldest first. Such a dump is for reading: an import refuses it',
    ),
});
export type ExportQuery = z.infer<typeof ExportQuery>;

// ---------- the JSON dump ----------
export const DUMP_FORMAT = 'parley.negotiation-dump';
/**
 * 2: sources are records (`sources`, and `sourceId` on each event), and a quote has its language
 * and a translation. A version 1 dump still imports: its sources are derived from the events'
 * inline fields, its quotes have no language.
 */
export const DUMP_VERSION = 2;

/** An exact instant, as the dump writes them (ISO 8601 with a zone). */
const Instant = DateInput;
const Seq = z.number({ error: 'must be an integer' }).int('must be an integer').min(1, 'must be 1 or more');
const Count = z.number({ error: 'must be an integer' }).int('must be an integer').min(0, 'must be 0 or more');
const Nullable = <T extends z.ZodType>(t: T) => t.nullable();

const DumpActor = z.strictObject({ id: Id, name: Title, role: ShortText, sortOrder: Count, retiredAt: Nullable(Instant) });
const DumpParty = z.strictObject({
  id: Id,
  code: Code,
  name: Title,
  kind: enumOf(PARTY_KINDS),
  color: Color,
  parentId: Nullable(Id),
  description: LongText,
  sortOrder: Count,
  version: Count,
  createdAt: Instant,
  updatedAt: Instant,
  actors: z.array(DumpActor).max(LIMITS.listItems),
});
const DumpPoint = z.strictObject({
  id: Id,
  code: Code,
  title: Title,
  category: enumOf(POINT_CATEGORIES),
  description: LongText,
  sortOrder: Count,
  version: Count,
  createdAt: Instant,
  updatedAt: Instant,
  derivedFrom: z.array(z.strictObject({ pointId: Id, kind: enumOf(LINEAGE_KINDS) })).max(LIMITS.listItems),
});
const DumpDocument = z.strictObject({
  id: Id,
  title: Title,
  shortTitle: PlainString.max(60), // may be empty, as DocumentCreate allows
  authorPartyId: Nullable(Id),
  publishedAt: Instant,
  publishedPrecision: enumOf(TIME_PRECISIONS),
  description: LongText,
  sourceUrl: Nullable(Url),
  version: Count,
  createdAt: Instant,
  updatedAt: Instant,
  provisions: z
    .array(z.strictObject({ pointId: Id, number: PlainString.min(1).max(20), text: LongText, sortOrder: Count }))
    .max(LIMITS.listItems),
});
const DumpMilestone = z.strictObject({
  id: Id,
  title: Title,
  kind: enumOf(MILESTONE_KINDS),
  startsAt: Instant,
  startsPrecision: enumOf(TIME_PRECISIONS),
  endsAt: Nullable(Instant),
  description: LongText,
  sourceUrl: Nullable(Url),
  partyIds: z.array(Id).max(LIMITS.listItems),
  version: Count,
  createdAt: Instant,
  updatedAt: Instant,
});
const DumpSource = z.strictObject({
  id: Id,
  kind: enumOf(SOURCE_KINDS),
  outlet: Nullable(PlainString.max(200)),
  title: Nullable(PlainString.max(500)),
  url: Nullable(Url),
  publishedAt: Nullable(Instant),
  language: Nullable(LanguageTag),
  description: Nullable(LongText),
  version: Count,
  createdAt: Instant,
  updatedAt: Instant,
});
const Author = PlainString.min(1).max(200);
const DumpEvent = z.strictObject({
  id: Id,
  seq: Seq,
  partyId: Id,
  pointId: Id,
  position: enumOf(POSITIONS),
  confidence: enumOf(CONFIDENCES),
  effectiveAt: Instant,
  effectivePrecision: enumOf(TIME_PRECISIONS),
  recordedAt: Instant,
  recordedBy: Author,
  approvedBy: Author.optional().describe('Who approved the proposal it was published from (review); absent when published as saved'),
  conditions: z.strictObject({ text: Nullable(LongText), pointIds: z.array(Id).max(LIMITS.listItems) }),
  note: Nullable(LongText),
  quote: Nullable(LongText),
  quoteLanguage: Nullable(LanguageTag).optional().describe('Absent in a version 1 dump'),
  translation: Nullable(LongText).optional().describe('Absent in a version 1 dump'),
  translationLanguage: Nullable(LanguageTag).optional().describe('Absent in a version 1 dump'),
  actorId: Nullable(Id),
  source: z.strictObject({
    url: Nullable(Url),
    outlet: Nullable(PlainString.max(200)),
    title: Nullable(ShortText),
    publishedAt: Nullable(Instant),
  }).describe('The citation as it was recorded'),
  sourceId: Nullable(Id).optional().describe('The source record cited (absent in a version 1 dump)'),
  documentId: Nullable(Id),
  milestoneId: Nullable(Id),
});
const DumpSourceArchive = z.strictObject({
  id: Id,
  sourceId: Id,
  contentType: enumOf(ARCHIVE_CONTENT_TYPES),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in lower-case hex'),
  size: Count,
  archivedAt: Instant,
  archivedBy: Author,
  text: z.string({ error: 'must be a string' }).describe('The plain text extracted when it was archived'),
  original: z
    .string({ error: 'must be a string' })
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64')
    .describe('The stored bytes, base64'),
});
const DumpRetraction = z.strictObject({ id: Id, eventId: Id, seq: Seq, reason: ShortText.min(1), recordedAt: Instant, recordedBy: Author });
const DumpChange = z.strictObject({
  seq: Seq,
  kind: enumOf(CHANGE_KINDS),
  entityId: Id,
  recordedAt: Instant,
  recordedBy: Author,
  data: z.unknown(),
  before: z.unknown().optional(),
});

/**
 * A complete negotiation: every record with its id, every stance event (retracted ones too) with its
 * sequence number, and the change log. Importing it into an installation without that negotiation and
 * exporting again gives the same bytes.
 */
export const NegotiationDump = z.strictObject({
  format: z.literal(DUMP_FORMAT, { error: `must be "${DUMP_FORMAT}"` }),
  version: z.union([z.literal(1), z.literal(DUMP_VERSION)], { error: `must be 1 or ${DUMP_VERSION} (the dump formats this Parley reads)` }),
  negotiation: z.strictObject({
    id: Id,
    slug: Code,
    title: Title,
    description: LongText,
    status: enumOf(NEGOTIATION_STATUSES),
    reviewPolicy: enumOf(REVIEW_POLICIES).optional().describe('Absent: off'),
    requireExpectedVersion: z.boolean().optional().describe('Absent: false'),
    seq: Count,
    version: Count,
    createdAt: Instant,
    updatedAt: Instant,
  }),
  parties: z.array(DumpParty),
  points: z.array(DumpPoint),
  documents: z.array(DumpDocument),
  milestones: z.array(DumpMilestone),
  sources: z.array(DumpSource).optional().describe('Absent in a version 1 dump'),
  sourceArchives: z.array(DumpSourceArchive).optional().describe("Archived copies of sources, oldest first (every copy; a source shows its latest). Absent in a dump written before archived copies"),
  stanceEvents: z.array(DumpEvent),
  retractions: z.array(DumpRetraction),
  changes: z.array(DumpChange),
  proposals: z
    .array(z.unknown())
    .optional()
    .describe('Only in a dump asked for with includeProposals=true (staff): the proposals, as GET …/proposals shows them. An import refuses a dump that has them'),
});
export type NegotiationDump = z.infer<typeof NegotiationDump>;
export type DumpParty = z.infer<typeof DumpParty>;
export type DumpPoint = z.infer<typeof DumpPoint>;
export type DumpDocument = z.infer<typeof DumpDocument>;
export type DumpMilestone = z.infer<typeof DumpMilestone>;
export type DumpEvent = z.infer<typeof DumpEvent>;
export type DumpSource = z.infer<typeof DumpSource>;
export type DumpSourceArchive = z.infer<typeof DumpSourceArchive>;
export type DumpRetraction = z.infer<typeof DumpRetraction>;
export type DumpChange = z.infer<typeof DumpChange>;

// ---------- imports ----------
export const IMPORT_KINDS = ['dump', 'points', 'stances'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const ImportQuery = z.strictObject({
  dryRun: yes.optional().describe('Check and report what would change; write nothing'),
  negotiation: PlainString.max(LIMITS.code).optional().describe('CSV imports: the negotiation (id or slug) to import into'),
  kind: enumOf(['points', 'stances'] as const)
    .optional()
    .describe('CSV imports: what the rows are (points or stance events). A JSON body is a negotiation dump.'),
});
export type ImportQuery = z.infer<typeof ImportQuery>;

/** The columns of a points CSV, in order. code is the key: a known code updates that point. */
export const POINT_CSV_COLUMNS = ['code', 'title', 'category', 'description', 'sortOrder'] as const;
/**
 * The columns of a stance-events CSV. party/point are codes; actor is the actor's name in that party;
 * conditionPoints are point codes separated by spaces; dates ISO 8601 (a day or a date-time with zone);
 * scheduled is yes (or true, 1) for a position that takes effect more than a day after the import.
 */
export const STANCE_CSV_COLUMNS = [
  'party',
  'point',
  'position',
  'confidence',
  'effectiveAt',
  'conditions',
  'conditionPoints',
  'note',
  'quote',
  'quoteLanguage',
  'translation',
  'translationLanguage',
  'actor',
  'sourceUrl',
  'sourceOutlet',
  'sourceTitle',
  'sourcePublishedAt',
  'sourceKind',
  'sourceLanguage',
  'scheduled',
] as const;
/** Columns that must be present (the others may be left out of the header). */
export const REQUIRED_CSV_COLUMNS: Record<'points' | 'stances', readonly string[]> = {
  points: ['code', 'title', 'category'],
  stances: ['party', 'point', 'position', 'effectiveAt'],
};

export interface ImportProblem {
  /** Where: "row 12" for CSV (1 = first data row), or the dump path, e.g. "stanceEvents.3.partyId". */
  field: string;
  message: string;
  /** CSV: the data row (1-based, header excluded); dump: the index in its array, when there is one. */
  row?: number;
}

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface ImportReport {
  dryRun: boolean;
  kind: ImportKind;
  /** The negotiation imported into (or created). */
  negotiation: { id: string; slug: string; title: string };
  /** What was (or, in a dry run, would be) done per record type, e.g. { points: {...}, stanceEvents: {...} }. */
  counts: Record<string, ImportCounts>;
  /** True when nothing changed (re-importing the same file). */
  unchanged: boolean;
  /** Problems found (a real import with problems is refused with 400 and imports nothing). */
  errors: ImportProblem[];
}
