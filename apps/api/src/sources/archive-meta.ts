import type { SourceArchive } from '@parley/contracts';
import { toIso } from '@parley/domain';
import type { EntityManager } from 'typeorm';
import { SourceArchiveEntity } from './source-archive.entity';

type ArchiveRow = Pick<SourceArchiveEntity, 'id' | 'sourceId' | 'sha256' | 'size' | 'contentType' | 'textLength' | 'archivedAt' | 'archivedBy'>;
const META_COLUMNS: (keyof ArchiveRow)[] = ['id', 'sourceId', 'sha256', 'size', 'contentType', 'textLength', 'archivedAt', 'archivedBy'];

/** A copy's metadata as a source's JSON shows it. */
export const archiveMetaOf = (a: ArchiveRow): SourceArchive => ({
  sha256: a.sha256,
  size: a.size,
  contentType: a.contentType,
  archivedAt: toIso(a.archivedAt),
  archivedBy: a.archivedBy,
  textLength: a.textLength,
});

/** The latest copy (by archivedAt, then id) of each source of a negotiation that has one, or of the one source named; never its bytes. */
export async function latestArchives(manager: EntityManager, negotiationId: string, sourceId?: string): Promise<Map<string, SourceArchive>> {
  const rows = await manager.find(SourceArchiveEntity, {
    select: META_COLUMNS,
    where: sourceId === undefined ? { negotiationId } : { negotiationId, sourceId },
    order: { archivedAt: 'ASC', id: 'ASC' },
  });
  const latest = new Map<string, SourceArchive>();
  for (const row of rows) latest.set(row.sourceId, archiveMetaOf(row));
  return latest;
}
