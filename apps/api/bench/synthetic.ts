import { POSITIONS } from '@parley/contracts';
import { randomUUID } from 'node:crypto';
import type { Db } from '../src/database/db.service';
import { sql } from '../src/database/sql';

/** Deterministic PRNG (mulberry32): the same sizes give the same history on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const HISTORY_START = Date.UTC(2024, 0, 1);
export const HISTORY_DAYS = 730;

export interface Synthetic {
  negotiationId: string;
  slug: string;
  events: number;
}

/** Words of the synthetic quotes: a few place names in three scripts, then a long tail (w0…w4999), drawn with a Zipf-like skew. */
const NAMES = ['Zaporizhzhia', 'Запорожье', 'Запоріжжя', 'Donbas', 'Genève', 'ceasefire', 'sanctions', 'referendum'];
const TAIL = 5000;

/** A sentence of `words` words: names one word in ten, else the tail (low numbers far more often). */
function sentence(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(random() < 0.1 ? NAMES[Math.floor(random() * NAMES.length)] : `w${Math.floor(TAIL ** random()) - 1}`);
  return out.join(' ');
}

/**
 * Writes a negotiation with `points` × `parties` cells and `events` stance events spread over two
 * years straight into the tables (bulk SQL, bypassing the API: this measures reads), then builds the
 * current-stance projection with one SQL statement.
 */
export async function writeSynthetic(db: Db, opts: { events: number; points: number; parties: number; seed?: number; texts?: boolean; slug?: string }): Promise<Synthetic> {
  const random = prng(opts.seed ?? 42);
  const texts = prng(7);
  const negotiationId = randomUUID();
  const slug = opts.slug ?? `bench-${opts.events}`;
  const now = Date.now();
  const w = db.writerDataSource.manager;
  await w.transaction(async (m) => {
    await sql(m, 'INSERT INTO negotiations (id, slug, title, description, status, seq, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      negotiationId, slug, `Benchmark ${opts.events}`, '', 'active', opts.events, 1, now, now,
    ]);
    const partyIds = Array.from({ length: opts.parties }, () => randomUUID());
    const pointIds = Array.from({ length: opts.points }, () => randomUUID());
    for (const [i, id] of partyIds.entries()) {
      await sql(m, 'INSERT INTO parties (id, negotiation_id, code, name, kind, color, parent_id, description, sort_order, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, 1, ?, ?)', [
        id, negotiationId, `P${i}`, `Party ${i}`, 'state', '#0072B2', '', i, now, now,
      ]);
    }
    for (const [i, id] of pointIds.entries()) {
      await sql(m, 'INSERT INTO points (id, negotiation_id, code, title, category, description, sort_order, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)', [
        id, negotiationId, `p${i}`, `Point ${i}`, 'military', '', i, now, now,
      ]);
    }
    const ROWS = 500;
    // With texts: a quote on 60% of the events (8–20 words), a translation on a third of those, a note on 30%.
    const columns = '(id, negotiation_id, seq, party_id, point_id, position, confidence, effective_at, effective_precision, recorded_at, recorded_by, condition_point_ids, source_outlet, quote, translation, note)';
    const placeholders = `(${Array(16).fill('?').join(', ')})`;
    for (let start = 0; start < opts.events; start += ROWS) {
      const params: unknown[] = [];
      const count = Math.min(ROWS, opts.events - start);
      for (let i = 0; i < count; i++) {
        const effective = HISTORY_START + Math.floor(random() * HISTORY_DAYS * 86_400_000);
        params.push(
          randomUUID(), negotiationId, start + i + 1,
          partyIds[Math.floor(random() * partyIds.length)], pointIds[Math.floor(random() * pointIds.length)],
          POSITIONS[Math.floor(random() * POSITIONS.length)], 'reported', effective, 'time',
          effective + Math.floor(random() * 3 * 86_400_000), 'bench', '[]', 'Bench',
        );
        const quote = opts.texts && texts() < 0.6 ? sentence(texts, 8 + Math.floor(texts() * 13)) : null;
        params.push(quote, quote && texts() < 0.33 ? sentence(texts, 10) : null, opts.texts && texts() < 0.3 ? sentence(texts, 6) : null);
      }
      await sql(m, `INSERT INTO stance_events ${columns} VALUES ${Array(count).fill(placeholders).join(', ')}`, params);
    }
    // Projection: the latest event per cell, and the number of events as the version.
    await sql(
      m,
      `INSERT INTO current_stances (negotiation_id, party_id, point_id, event_id, version)
       SELECT e.negotiation_id, e.party_id, e.point_id,
              (SELECT e2.id FROM stance_events e2 WHERE e2.negotiation_id = e.negotiation_id AND e2.party_id = e.party_id AND e2.point_id = e.point_id
                ORDER BY e2.effective_at DESC, e2.recorded_at DESC, e2.seq DESC LIMIT 1),
              COUNT(*)
         FROM stance_events e WHERE e.negotiation_id = ? GROUP BY e.negotiation_id, e.party_id, e.point_id`,
      [negotiationId],
    );
  });
  return { negotiationId, slug, events: opts.events };
}
