import { defaultSourceKind, type CitedSource, type Source, type SourceArchive, type SourceInput } from '@parley/contracts';
import { parseInstant, toIso, toIsoOrNull } from '@parley/domain';
import { In, IsNull, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { newOrderedId } from '../common/ids';
import { SourceEntity } from './source.entity';

/** A source record as the API returns it (and as `source.created`/`source.updated` carry it), with its latest archived copy. */
export const toSource = (s: SourceEntity, archive: SourceArchive | null = null): Source => ({
  id: s.id,
  negotiationId: s.negotiationId,
  kind: s.kind,
  outlet: s.outlet,
  title: s.title,
  url: s.url,
  publishedAt: toIsoOrNull(s.publishedAt),
  language: s.language,
  description: s.description,
  version: s.version,
  createdAt: toIso(s.createdAt),
  updatedAt: toIso(s.updatedAt),
  archive,
});

/** What a stance that cites nothing shows as its source. */
export const NO_SOURCE: CitedSource = Object.freeze({ id: null, kind: null, url: null, outlet: null, title: null, publishedAt: null, language: null, description: null });

/** The source as a stance shows it (from the record, so a correction shows on every stance citing it). */
export const citedOf = (s: SourceEntity | Source): CitedSource => ({
  id: s.id,
  kind: s.kind,
  url: s.url,
  outlet: s.outlet,
  title: s.title,
  publishedAt: typeof s.publishedAt === 'number' ? toIso(s.publishedAt) : s.publishedAt,
  language: s.language,
  description: s.description,
});

/** The fields the dedup rule compares. */
export interface CitationFields {
  url: string | null;
  outlet: string | null;
  title: string | null;
  publishedAt: number | null;
  description: string | null;
}

/**
 * The dedup rule, one place: two citations name the same source when they have the same URL, or,
 * without a URL, the same outlet, title, publication date and description (nulls equal).
 */
export function citationKey(s: CitationFields): string {
  return s.url !== null ? `u:${s.url}` : JSON.stringify([s.outlet, s.title, s.publishedAt, s.description]);
}

/** An inline source's fields as the dedup rule reads them. */
export function inlineFields(s: SourceInput): CitationFields {
  return {
    url: s.url ?? null,
    outlet: s.outlet ?? null,
    title: s.title ?? null,
    publishedAt: s.publishedAt ? parseInstant(s.publishedAt) : null,
    description: s.description ?? null,
  };
}

/** Values per lookup statement. */
const CHUNK = 500;

/**
 * The sources a write's inputs may cite, loaded once inside its transaction: by id, by URL, and
 * the URL-less ones of the outlets named (dedup rule above). `create` adds a new one, so later items
 * of the same write find it.
 */
export class SourceBook {
  private readonly byId = new Map<string, SourceEntity>();
  private readonly byKey = new Map<string, SourceEntity>();

  private constructor(private readonly negotiationId: string) {}

  static async load(manager: EntityManager, negotiationId: string, inputs: readonly SourceInput[]): Promise<SourceBook> {
    const book = new SourceBook(negotiationId);
    const ids = new Set<string>();
    const urls = new Set<string>();
    const outlets = new Set<string>();
    let outletless = false;
    for (const s of inputs) {
      if (s.id !== undefined) ids.add(s.id);
      else if (s.url !== undefined) urls.add(s.url);
      else if (s.outlet !== undefined) outlets.add(s.outlet);
      else outletless = true;
    }
    const where: FindOptionsWhere<SourceEntity>[] = [];
    for (const [set, field] of [[ids, 'id'], [urls, 'url'], [outlets, 'outlet']] as const) {
      const values = [...set];
      for (let i = 0; i < values.length; i += CHUNK) {
        const chunk = In(values.slice(i, i + CHUNK));
        where.push(field === 'outlet' ? { negotiationId, url: IsNull(), outlet: chunk } : { negotiationId, [field]: chunk });
      }
    }
    if (outletless) where.push({ negotiationId, url: IsNull(), outlet: IsNull() });
    for (let i = 0; i < where.length; i += 4) {
      for (const s of await manager.find(SourceEntity, { where: where.slice(i, i + 4) })) book.add(s);
    }
    return book;
  }

  private add(s: SourceEntity): void {
    this.byId.set(s.id, s);
    // The oldest source with a key keeps it (two sources may share one after an edit).
    const key = citationKey(s);
    const held = this.byKey.get(key);
    if (!held || held.createdAt > s.createdAt) this.byKey.set(key, s);
  }

  /** The source an input cites, if it exists already. */
  find(s: SourceInput): SourceEntity | null {
    if (s.id !== undefined) return this.byId.get(s.id) ?? null;
    return this.byKey.get(citationKey(inlineFields(s))) ?? null;
  }

  /** A new source from an inline input (to be inserted by the caller, in the same transaction). */
  create(s: SourceInput, now: number): SourceEntity {
    const fields = inlineFields(s);
    const source: SourceEntity = {
      id: newOrderedId(now),
      negotiationId: this.negotiationId,
      kind: s.kind ?? defaultSourceKind(fields.outlet),
      ...fields,
      language: s.language ?? null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    this.add(source);
    return source;
  }
}

/** The columns of `sources`, in the order of sourceValues. */
export const SOURCE_COLUMNS = ['id', 'negotiation_id', 'kind', 'outlet', 'title', 'url', 'published_at', 'language', 'description', 'version', 'created_at', 'updated_at'] as const;

export const sourceValues = (s: SourceEntity): unknown[] => [
  s.id, s.negotiationId, s.kind, s.outlet, s.title, s.url, s.publishedAt, s.language, s.description, s.version, s.createdAt, s.updatedAt,
];
