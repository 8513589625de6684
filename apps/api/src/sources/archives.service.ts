import { Inject, Injectable } from '@nestjs/common';
import { ARCHIVE_CONTENT_TYPES, type ArchiveContentType, type Source } from '@parley/contracts';
import { createHash } from 'node:crypto';
import { AppError, invalid, notFound } from '../common/app-error';
import { newOrderedId } from '../common/ids';
import { findScoped } from '../common/scoped';
import { ChangeLog } from '../changes/change-log.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Db, type Tx } from '../database/db.service';
import { NegotiationsService } from '../negotiations/negotiations.service';
import { archiveMetaOf, latestArchives } from './archive-meta';
import { extractText } from './archive-text';
import { SourceArchiveEntity } from './source-archive.entity';
import { SourceEntity } from './source.entity';
import { toSource } from './source.mapper';

/** A stored copy as the routes serve it. */
export interface StoredCopy {
  sourceId: string;
  sha256: string;
  contentType: ArchiveContentType;
  bytes: Buffer;
  text: string;
}

/** A copy checked and read, ready to store. */
export interface PreparedCopy {
  type: ArchiveContentType;
  text: string;
  sha256: string;
  size: number;
  /** The bytes, base64. */
  original: string;
}

/** The media type of a Content-Type header among those an archive takes, or a 415 (a text in a charset other than UTF-8 too). */
export function archiveTypeOf(header: string | undefined): ArchiveContentType {
  const [media = '', ...params] = (header ?? '').split(';').map((p) => p.trim().toLowerCase());
  const type = ARCHIVE_CONTENT_TYPES.find((t) => t === media);
  if (type === undefined) {
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `Unsupported content type${media ? ` '${media}'` : ''}: send an archived copy as ${ARCHIVE_CONTENT_TYPES.join(', ')}; nothing was changed`);
  }
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (charset !== undefined && type !== 'application/pdf' && !['utf-8', 'utf8', 'us-ascii'].includes(charset)) {
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `Unsupported charset '${charset}': send the text as UTF-8; nothing was changed`);
  }
  return type;
}

/**
 * Archived copies of sources. A copy is stored as sent (base64) with its SHA-256, size and content
 * type, and the plain text extracted from it; attaching another keeps the earlier ones (a row per
 * copy, append-only) and shows the latest. The source takes a new version and a `source.updated`
 * change (audited, live) carrying its new `archive`.
 */
@Injectable()
export class ArchivesService {
  constructor(
    private readonly db: Db,
    private readonly changes: ChangeLog,
    private readonly negotiations: NegotiationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async attach(negotiation: string, sourceId: string, contentType: string | undefined, body: unknown, author: string): Promise<Source> {
    const type = archiveTypeOf(contentType);
    const negotiationId = await this.negotiations.resolveId(negotiation);
    // Known before reading the body: a copy for a source that is not there is a 404, whatever it holds.
    await findScoped(this.db.read, SourceEntity, negotiationId, sourceId, 'Source');
    const copy = await this.prepare(type, body);
    return this.db.write((tx) => this.attachIn(tx, negotiationId, sourceId, copy, author));
  }

  /** Checks a copy and extracts its text (before any transaction: a PDF takes a child process). 400 or 413 when it cannot be taken. */
  async prepare(type: ArchiveContentType, body: unknown): Promise<PreparedCopy> {
    if (!Buffer.isBuffer(body) || body.length === 0) throw invalid([{ field: 'body', message: 'must not be empty: send the copy as the request body' }]);
    if (body.length > this.config.archiveLimitBytes) {
      throw new AppError(413, 'PAYLOAD_TOO_LARGE', `The copy is larger than the limit of ${this.config.archiveLimitBytes} bytes (ARCHIVE_LIMIT_BYTES); nothing was changed`);
    }
    const text = await extractText(body, type);
    return { type, text, sha256: createHash('sha256').update(body).digest('hex'), size: body.length, original: body.toString('base64') };
  }

  /** Stores a prepared copy as the source's latest, in the caller's transaction (the demo loader attaches its seed article so). */
  async attachIn(tx: Tx, negotiationId: string, sourceId: string, prepared: PreparedCopy, author: string): Promise<Source> {
    const seq = await this.changes.nextSeq(tx, negotiationId);
    const current = await findScoped(tx.manager, SourceEntity, negotiationId, sourceId, 'Source');
    const was = (await latestArchives(tx.manager, negotiationId, current.id)).get(current.id) ?? null;
    const now = Date.now();
    const copy: SourceArchiveEntity = {
      id: newOrderedId(now),
      negotiationId,
      sourceId: current.id,
      sha256: prepared.sha256,
      size: prepared.size,
      contentType: prepared.type,
      original: prepared.original,
      text: prepared.text,
      textLength: prepared.text.length,
      archivedAt: now,
      archivedBy: author,
    };
    await tx.manager.insert(SourceArchiveEntity, copy);
    const next: SourceEntity = { ...current, version: current.version + 1, updatedAt: now };
    await tx.manager.update(SourceEntity, { id: current.id }, { version: next.version, updatedAt: now });
    const view = toSource(next, archiveMetaOf(copy));
    await this.changes.record(tx, { negotiationId, seq, kind: 'source.updated', entityId: current.id, data: view, before: toSource(current, was), recordedAt: now, recordedBy: author });
    return view;
  }

  /** The latest copy of a source, or 404 when the source has none. */
  async latest(negotiation: string, sourceId: string): Promise<StoredCopy> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    const source = await findScoped(this.db.read, SourceEntity, negotiationId, sourceId, 'Source');
    const copy = await this.db.read.findOne(SourceArchiveEntity, { where: { negotiationId, sourceId: source.id }, order: { archivedAt: 'DESC', id: 'DESC' } });
    if (!copy) throw notFound('Archived copy of source', source.id);
    return { sourceId: source.id, sha256: copy.sha256, contentType: copy.contentType, bytes: Buffer.from(copy.original, 'base64'), text: copy.text };
  }
}
