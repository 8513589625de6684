import type { MigrationInterface, QueryRunner } from 'typeorm';

// A document's short code (issue 18: codes wherever ids are): "us28", "geneva", unique within its
// negotiation, so paths, bodies and filters can name a document as they name a party ("RU") or a
// point ("p07"). Plain ALTER TABLE … ADD COLUMN (both databases, in place). Existing documents get
// one: the demo's known texts their dataset keys (what a fresh demo load gives them), others a slug
// of their short title, made unique ignoring case (-2, -3…). Nullable in the table (a NOT NULL
// column would need a rebuild on SQLite); the API always sets it.

/** The demo's documents (apps/api/src/demo/ukraine-2025.ts): title → its key, the code a fresh load gives. */
const DEMO_CODES: Record<string, string> = {
  'US 28-point peace plan (draft)': 'us28',
  'European (E3) counter-proposal': 'e3',
  'Geneva framework (US–Ukraine)': 'geneva',
  '20-point peace framework': 'p20',
};

function slug(text: string): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 24)
    .replace(/-+$/g, '');
  return s || 'doc';
}

export class DocumentCodes1765610000000 implements MigrationInterface {
  name = 'DocumentCodes1765610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE documents ADD COLUMN code varchar(40)');
    const rows = (await q.query('SELECT id, negotiation_id, title, short_title FROM documents ORDER BY negotiation_id, published_at, created_at, id')) as {
      id: string;
      negotiation_id: string;
      title: string;
      short_title: string;
    }[];
    const used = new Map<string, Set<string>>();
    const pg = q.connection.options.type === 'postgres';
    for (const r of rows) {
      const taken = used.get(r.negotiation_id) ?? new Set<string>();
      used.set(r.negotiation_id, taken);
      const base = DEMO_CODES[r.title] ?? slug(r.short_title || r.title);
      let code = base;
      for (let n = 2; taken.has(code.toLowerCase()); n++) code = `${base}-${n}`;
      taken.add(code.toLowerCase());
      await q.query(pg ? 'UPDATE documents SET code = $1 WHERE id = $2' : 'UPDATE documents SET code = ? WHERE id = ?', [code, r.id]);
    }
    await q.query('CREATE UNIQUE INDEX uq_documents_code ON documents (negotiation_id, code)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX uq_documents_code');
    await q.query('ALTER TABLE documents DROP COLUMN code');
  }
}
