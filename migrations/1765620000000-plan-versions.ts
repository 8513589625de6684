import { randomUUID } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

// The plan is bitemporal (issue 18): an append-only history of versions of the points, parties and
// documents (a document's version holds its provisions), each with the time it took effect and the
// time Parley recorded it. The current tables stay as the latest projection. One version per
// existing row: a point takes effect when first tabled (the earliest date of a document with a
// provision for it, else its creation — or, if earlier, the first stance taken on it), a document
// at its date, a party at its creation (or its first stance); all are recorded at their creation
// (or the recording of their first stance, earlier only for a replayed history such as the demo's).
// `data` is the entity as the API showed it (JSON).

type Row = Record<string, unknown>;
const ms = (v: unknown): number => Number(v);
const iso = (v: unknown): string => new Date(ms(v)).toISOString();

export class PlanVersions1765620000000 implements MigrationInterface {
  name = 'PlanVersions1765620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE plan_versions (
      id varchar(36) PRIMARY KEY,
      negotiation_id varchar(36) NOT NULL REFERENCES negotiations(id),
      kind varchar(16) NOT NULL,
      entity_id varchar(36) NOT NULL,
      seq integer NOT NULL,
      effective_at bigint NOT NULL,
      recorded_at bigint NOT NULL,
      data text NOT NULL
    )`);
    await q.query('CREATE INDEX ix_plan_versions_entity ON plan_versions (negotiation_id, kind, entity_id, effective_at)');

    const add = async (negotiationId: unknown, kind: string, entityId: unknown, effectiveAt: number, recordedAt: number, data: unknown) => {
      const params = { id: randomUUID(), negotiationId, kind, entityId, effectiveAt, recordedAt, data: JSON.stringify(data) };
      // The driver writes its own placeholders for the named parameters.
      const [text, values] = q.connection.driver.escapeQueryWithParameters(
        'INSERT INTO plan_versions (id, negotiation_id, kind, entity_id, seq, effective_at, recorded_at, data) VALUES (:id, :negotiationId, :kind, :entityId, 0, :effectiveAt, :recordedAt, :data)',
        params,
        {},
      );
      await q.query(text, values);
    };

    const provisions: Row[] = await q.query('SELECT document_id, point_id, number, text, sort_order FROM provisions ORDER BY document_id, sort_order');
    const documents: Row[] = await q.query('SELECT * FROM documents');
    const published = new Map(documents.map((d) => [d['id'], ms(d['published_at'])]));
    const tabled = new Map<unknown, number>();
    for (const p of provisions) {
      const at = published.get(p['document_id']);
      if (at !== undefined && at < (tabled.get(p['point_id']) ?? Infinity)) tabled.set(p['point_id'], at);
    }

    const firstStance = async (column: 'point_id' | 'party_id') => {
      const rows: Row[] = await q.query(`SELECT ${column} AS entity_id, MIN(effective_at) AS effective_at, MIN(recorded_at) AS recorded_at FROM stance_events GROUP BY ${column}`);
      return new Map(rows.map((r) => [r['entity_id'], { effectiveAt: ms(r['effective_at']), recordedAt: ms(r['recorded_at']) }]));
    };
    const pointStances = await firstStance('point_id');
    const partyStances = await firstStance('party_id');

    const lineage: Row[] = await q.query('SELECT point_id, derived_from_id, kind FROM point_lineage');
    const points: Row[] = await q.query('SELECT * FROM points');
    for (const p of points) {
      const data = {
        id: p['id'], negotiationId: p['negotiation_id'], code: p['code'], title: p['title'], category: p['category'],
        description: p['description'], sortOrder: Number(p['sort_order']),
        derivedFrom: lineage.filter((l) => l['point_id'] === p['id']).map((l) => ({ pointId: l['derived_from_id'], kind: l['kind'] })),
        version: Number(p['version']), createdAt: iso(p['created_at']), updatedAt: iso(p['updated_at']),
      };
      const stance = pointStances.get(p['id']);
      const effectiveAt = Math.min(tabled.get(p['id']) ?? ms(p['created_at']), stance?.effectiveAt ?? Infinity);
      await add(p['negotiation_id'], 'point', p['id'], effectiveAt, Math.min(ms(p['created_at']), stance?.recordedAt ?? Infinity), data);
    }

    const actors: Row[] = await q.query('SELECT * FROM actors ORDER BY sort_order');
    const parties: Row[] = await q.query('SELECT * FROM parties');
    for (const p of parties) {
      const data = {
        id: p['id'], negotiationId: p['negotiation_id'], code: p['code'], name: p['name'], kind: p['kind'], color: p['color'],
        parentId: p['parent_id'] ?? null, description: p['description'], sortOrder: Number(p['sort_order']),
        actors: actors.filter((a) => a['party_id'] === p['id']).map((a) => ({ id: a['id'], name: a['name'], role: a['role'], retired: a['retired_at'] !== null })),
        version: Number(p['version']), createdAt: iso(p['created_at']), updatedAt: iso(p['updated_at']),
      };
      const stance = partyStances.get(p['id']);
      const createdAt = ms(p['created_at']);
      await add(p['negotiation_id'], 'party', p['id'], Math.min(createdAt, stance?.effectiveAt ?? Infinity), Math.min(createdAt, stance?.recordedAt ?? Infinity), data);
    }

    for (const d of documents) {
      const data = {
        id: d['id'], negotiationId: d['negotiation_id'], title: d['title'], shortTitle: d['short_title'], authorPartyId: d['author_party_id'] ?? null,
        publishedAt: iso(d['published_at']), publishedPrecision: d['published_precision'], description: d['description'], sourceUrl: d['source_url'] ?? null,
        provisions: provisions.filter((p) => p['document_id'] === d['id']).map((p) => ({ pointId: p['point_id'], number: p['number'], text: p['text'] })),
        version: Number(d['version']), createdAt: iso(d['created_at']), updatedAt: iso(d['updated_at']),
      };
      await add(d['negotiation_id'], 'document', d['id'], ms(d['published_at']), ms(d['created_at']), data);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE plan_versions');
  }
}
