import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { In } from 'typeorm';
import { badReference, conflict, notFound } from './app-error';
import { isUuid } from './ids';

type Scoped = ObjectLiteral & { id: string; negotiationId: string };

/** Loads an entity of a negotiation by id, or 404 (an id from another negotiation does not resolve). */
export async function findScoped<T extends Scoped>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  negotiationId: string,
  id: string,
  what: string,
): Promise<T> {
  const found = isUuid(id) ? await manager.findOneBy(entity, { id, negotiationId } as never) : null;
  if (!found) throw notFound(what, id);
  return found as T;
}

/** Checks that every id refers to an entity of this negotiation; a bad one is a 400 naming the field. */
export async function requireRefs<T extends Scoped>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  negotiationId: string,
  refs: { field: string; id: string | null | undefined }[],
  what: string,
): Promise<void> {
  const wanted = [...new Set(refs.map((r) => r.id).filter((id): id is string => !!id))];
  if (wanted.length === 0) return;
  const rows = await manager.find(entity, { select: { id: true } as never, where: { id: In(wanted), negotiationId } as never });
  const known = new Set(rows.map((r) => r.id));
  const missing = refs.find((r) => r.id && !known.has(r.id));
  if (missing) throw badReference(missing.field, `${what} '${missing.id}' does not exist in this negotiation`);
}

/** Optimistic lock for edits: a stale expectedVersion is a 409 carrying the current state. */
export function checkVersion(what: string, actual: number, expected: number | undefined, current: unknown): void {
  if (expected !== undefined && expected !== actual) {
    throw conflict(
      'VERSION_CONFLICT',
      `${what} was changed by someone else meanwhile (now version ${actual}, you expected ${expected}); nothing was changed`,
      current,
    );
  }
}
