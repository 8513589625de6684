import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError, invalid, notFound } from '../common/app-error';
import { isUuid } from '../common/ids';
import { Db } from '../database/db.service';
import { sql } from '../database/sql';
import { CODE_SHAPE, matchRef, type Named } from './ref-match';

/** What a reference can name inside a negotiation: tables with a `code` unique per negotiation. */
export const REF_KINDS = {
  party: { table: 'parties', label: 'Party' },
  point: { table: 'points', label: 'Point' },
  document: { table: 'documents', label: 'Document' },
} as const;
export type RefKind = keyof typeof REF_KINDS;

export interface NegotiationRef {
  id: string;
  slug: string;
}

/** One reference to resolve: the kind, the value given, and where it was (`path.pointId`, `query.partyId`, `events.0.partyId`). */
export interface Wanted {
  kind: RefKind;
  ref: string;
  field: string;
  /** A path's: unknown is a 404 (a body's or query's: a 400 naming the field). */
  inPath?: boolean;
}

/** How many known ids are kept before the memory starts again (nothing is deleted, so a known id stays true). */
const KNOWN_MAX = 200_000;

/**
 * The one resolver: turns a reference — an id, or a code (a negotiation's slug, a party's, point's or
 * document's code) — into the id. It reads the tables by name through `Db`, so it stands below every
 * feature that takes references (see docs/architecture.md). Negotiations are found by id or slug;
 * the others within their negotiation, all of a kind in one read, so a batch costs one query per kind.
 * Ids found are remembered (nothing is ever deleted), codes are looked up every time (they can change).
 *
 * Errors name the kind and the value: unknown in a path → 404; unknown in a body or query → 400
 * naming the field; ambiguous (two codes differing only in case) → 400 naming the candidates.
 */
@Injectable()
export class Refs {
  private readonly negotiations = new Map<string, NegotiationRef>();
  private readonly known = new Set<string>();

  constructor(private readonly db: Db) {}

  /** The negotiation named by id or slug, or null. */
  async findNegotiation(ref: string, manager: EntityManager = this.db.read, field = 'path.negotiationId'): Promise<NegotiationRef | null> {
    const cached = this.negotiations.get(ref);
    if (cached) return cached;
    if (!CODE_SHAPE.test(ref)) return null;
    const { rows } = isUuid(ref)
      ? await sql<{ id: string; slug: string }>(manager, 'SELECT id, slug FROM negotiations WHERE id = ? OR slug = ?', [ref.toLowerCase(), ref])
      : await sql<{ id: string; slug: string }>(manager, 'SELECT id, slug FROM negotiations WHERE LOWER(slug) = ?', [ref.toLowerCase()]);
    const match = matchRef(rows.map((r) => ({ id: r.id, code: r.slug })), ref);
    if (match === null) return null;
    if ('ambiguous' in match) throw ambiguous('Negotiation', ref, match.ambiguous, field, 'slug');
    const found = rows.find((r) => r.id === match.id);
    if (!found) return null;
    const value = { id: found.id, slug: found.slug };
    // Slugs never change (a negotiation's PATCH takes none) and negotiations are never deleted.
    if (this.negotiations.size > KNOWN_MAX) this.negotiations.clear();
    this.negotiations.set(ref, value);
    return value;
  }

  /** The negotiation named by id or slug; 404 naming it otherwise. */
  async negotiation(ref: string, manager?: EntityManager, field?: string): Promise<NegotiationRef> {
    const found = await this.findNegotiation(ref, manager, field);
    if (!found) throw notFound('Negotiation', ref);
    return found;
  }

  /** One reference in a negotiation (`inPath`: 404 when unknown, else a 400 naming the field). */
  async one(negotiation: NegotiationRef, kind: RefKind, ref: string, field: string, inPath = false): Promise<string> {
    return (await this.many(negotiation, [{ kind, ref, field, inPath }]))[0];
  }

  /** References in a negotiation, in order: one read per kind that has a reference not yet known as an id. */
  async many(negotiation: NegotiationRef, wanted: readonly Wanted[], manager: EntityManager = this.db.read): Promise<string[]> {
    const rowsOf = new Map<RefKind, Named[]>();
    const out: string[] = [];
    const problems: { field: string; message: string }[] = [];
    for (const w of wanted) {
      if (isUuid(w.ref) && this.known.has(`${w.kind}:${negotiation.id}:${w.ref}`)) {
        out.push(w.ref);
        continue;
      }
      let rows = rowsOf.get(w.kind);
      if (!rows) {
        const table = REF_KINDS[w.kind].table;
        rows = (await sql<Named>(manager, `SELECT id, code FROM ${table} WHERE negotiation_id = ? AND code IS NOT NULL`, [negotiation.id])).rows;
        rowsOf.set(w.kind, rows);
      }
      const match = matchRef(rows, w.ref);
      const label = REF_KINDS[w.kind].label;
      if (match === null) {
        const message = `${label} '${w.ref}' was not found in negotiation '${negotiation.slug}'`;
        if (w.inPath) throw new AppError(404, 'NOT_FOUND', message);
        problems.push({ field: w.field, message });
        out.push(w.ref);
        continue;
      }
      if ('ambiguous' in match) {
        problems.push(ambiguity(label, w.ref, match.ambiguous, w.field, 'code', negotiation.slug));
        out.push(w.ref);
        continue;
      }
      if (this.known.size > KNOWN_MAX) this.known.clear();
      this.known.add(`${w.kind}:${negotiation.id}:${match.id}`);
      out.push(match.id);
    }
    // Every reference that failed, named (a path's unknown one is a 404 at once).
    if (problems.length > 0) throw invalid(problems);
    return out;
  }
}

function ambiguous(label: string, ref: string, candidates: Named[], field: string, what: 'code' | 'slug', negotiation?: string): AppError {
  return invalid([ambiguity(label, ref, candidates, field, what, negotiation)]);
}

function ambiguity(label: string, ref: string, candidates: Named[], field: string, what: 'code' | 'slug', negotiation?: string): { field: string; message: string } {
  const where = negotiation ? ` in negotiation '${negotiation}'` : '';
  const names = candidates.map((c) => `'${c.code}' (${c.id})`).join(', ');
  const message = `${label} '${ref}' is ambiguous${where}: it may be ${names}; give the ${what} exactly as written, or the id`;
  return { field, message };
}
