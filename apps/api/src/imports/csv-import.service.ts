import { Injectable } from '@nestjs/common';
import {
  instantOf,
  PointCreate,
  POINT_CSV_COLUMNS,
  REQUIRED_CSV_COLUMNS,
  StanceCreate,
  STANCE_CSV_COLUMNS,
  type ImportProblem,
  type ImportReport,
  type Point,
} from '@parley/contracts';
import { parse, type Info } from 'csv-parse/sync';
import type { z } from 'zod';
import { AppError, invalid } from '../common/app-error';
import { Db } from '../database/db.service';
import { sql } from '../database/sql';
import { NegotiationsService } from '../negotiations/negotiations.service';
import { PartiesService } from '../parties/parties.service';
import { PointsService } from '../points/points.service';
import { StancesService } from '../stances/stances.service';
import { contentKey, entityOfInput, entityOfRow, EVENT_ONLY_FROM, EVENT_SELECT_UNRETRACTED, type EventRow } from '../stances/stance-row';
import { CHANGES_CSV_COLUMNS } from '../exports/text-exports';
import { importRefused } from './import-refused';

/** Most data rows in one CSV import (the body size limit applies too). */
export const CSV_IMPORT_MAX_ROWS = 100_000;

/** Columns of our own change-log CSV that an import ignores, so an exported change log imports elsewhere. */
const EXPORT_ONLY_COLUMNS = new Set<string>(CHANGES_CSV_COLUMNS.filter((c) => !(STANCE_CSV_COLUMNS as readonly string[]).includes(c)));

type Row = Record<string, string>;

/**
 * CSV imports into an existing negotiation: points (keyed by code: new codes are created, known
 * ones updated) and stance events (party and point by code, actor by name). Every row is checked
 * first and every problem reported with its row; the import itself is one transaction.
 */
@Injectable()
export class CsvImportService {
  constructor(
    private readonly db: Db,
    private readonly negotiations: NegotiationsService,
    private readonly parties: PartiesService,
    private readonly points: PointsService,
    private readonly stances: StancesService,
  ) {}

  async importPoints(negotiation: string, text: string, dryRun: boolean, author: string): Promise<ImportReport> {
    const n = await this.negotiations.resolve(negotiation);
    const { rows, rowNumbers, problems } = readCsv(text, 'points');
    const existing = new Map((await this.points.listIn(this.db.read, n.id)).map((p) => [p.code, p]));
    const seen = new Map<string, number>();
    const creates: PointCreate[] = [];
    const updates: { point: Point; patch: Partial<PointCreate> }[] = [];
    let unchanged = 0;
    rows.forEach((row, i) => {
      const at = rowNumbers[i];
      const input = {
        code: row['code'] ?? '',
        title: row['title'] ?? '',
        category: row['category'] ?? '',
        description: row['description'] || undefined,
        sortOrder: row['sortOrder'] ? Number(row['sortOrder']) : undefined,
      };
      const parsed = PointCreate.safeParse(input);
      if (!parsed.success) return rowProblems(problems, at, parsed.error, POINT_FIELD);
      const p = parsed.data;
      const code = p.code as string;
      if (seen.has(code)) return problems.push({ row: at, field: `row ${at}: code`, message: `code '${code}' is already on row ${seen.get(code)}` });
      seen.set(code, at);
      const known = existing.get(code);
      if (!known) return creates.push(p);
      const patch: Partial<PointCreate> = {};
      if (p.title !== known.title) patch.title = p.title;
      if (p.category !== known.category) patch.category = p.category;
      if (p.description !== undefined && p.description !== known.description) patch.description = p.description;
      if (p.sortOrder !== undefined && p.sortOrder !== known.sortOrder) patch.sortOrder = p.sortOrder;
      if (Object.keys(patch).length === 0) unchanged++;
      else updates.push({ point: known, patch });
      return undefined;
    });
    const report: ImportReport = {
      dryRun,
      kind: 'points',
      negotiation: { id: n.id, slug: n.slug, title: n.title },
      counts: { points: { created: creates.length, updated: updates.length, unchanged } },
      unchanged: creates.length === 0 && updates.length === 0,
      errors: problems,
    };
    if (problems.length > 0 && !dryRun) throw importRefused(problems);
    if (dryRun || report.unchanged) return report;
    await this.db.write(async (tx) => {
      for (const input of creates) await this.points.createIn(tx, n.id, input, author);
      for (const { point, patch } of updates) await this.points.updateIn(tx, n.id, point.id, { ...patch, expectedVersion: point.version }, author);
    });
    return report;
  }

  async importStances(negotiation: string, text: string, dryRun: boolean, author: string): Promise<ImportReport> {
    const n = await this.negotiations.resolve(negotiation);
    // Under review policy `required` each stance change is a proposal of its own: a file of them is refused (409), dry run or not.
    await this.stances.refuseBulk(n.id, 'A CSV import of stances');
    // Under requireExpectedVersion every stance write names the version it replaces; a CSV row has no
    // such column (and a file is prepared long before it is imported), so a file of them is refused.
    if (n.requireExpectedVersion) {
      throw invalid([
        {
          field: 'expectedVersion',
          message:
            "is required by this negotiation (requireExpectedVersion) for every stance write, and a CSV row cannot carry it: record these stances with POST …/stances/batch (expectedVersion per item), or have an admin turn the setting off for the import; nothing was imported",
        },
      ]);
    }
    const { rows, rowNumbers, problems } = readCsv(text, 'stances');
    const [parties, points] = await Promise.all([this.parties.listIn(this.db.read, n.id), this.points.listIn(this.db.read, n.id)]);
    const partyByCode = new Map(parties.map((p) => [p.code, p]));
    const pointByCode = new Map(points.map((p) => [p.code, p]));
    const inputs: { at: number; input: StanceCreate }[] = [];
    let skipped = 0;
    rows.forEach((row, i) => {
      const at = rowNumbers[i];
      if (row['retracted'] === 'yes') {
        skipped++; // a retracted event of an exported change log: not a position to import
        return;
      }
      const before = problems.length;
      const party = partyByCode.get(row['party'] ?? '');
      if (!party) problems.push({ row: at, field: `row ${at}: party`, message: `'${row['party'] ?? ''}' is not a party code of this negotiation` });
      const point = pointByCode.get(row['point'] ?? '');
      if (!point) problems.push({ row: at, field: `row ${at}: point`, message: `'${row['point'] ?? ''}' is not a point code of this negotiation` });
      const conditionCodes = (row['conditionPoints'] ?? '').split(/[\s,;]+/).filter(Boolean);
      const conditionIds: string[] = [];
      for (const code of conditionCodes) {
        const p = pointByCode.get(code);
        if (p) conditionIds.push(p.id);
        else problems.push({ row: at, field: `row ${at}: conditionPoints`, message: `'${code}' is not a point code of this negotiation` });
      }
      let actorId: string | undefined;
      const actorName = row['actor']?.trim();
      if (actorName && party) {
        const actor = party.actors.find((a) => a.name.toLowerCase() === actorName.toLowerCase());
        if (actor) actorId = actor.id;
        else problems.push({ row: at, field: `row ${at}: actor`, message: `'${actorName}' is not an actor of ${party.code}` });
      }
      const scheduled = yesNo(row['scheduled']);
      if (scheduled === null) problems.push({ row: at, field: `row ${at}: scheduled`, message: 'must be yes or no (or true/false, 1/0), or empty' });
      if (problems.length > before || !party || !point) return;
      const candidate = {
        partyId: party.id,
        pointId: point.id,
        position: row['position'] ?? '',
        confidence: row['confidence'] || 'reported',
        effectiveAt: row['effectiveAt'] ?? '',
        source: {
          url: row['sourceUrl'] || undefined,
          outlet: row['sourceOutlet'] || undefined,
          title: row['sourceTitle'] || undefined,
          publishedAt: row['sourcePublishedAt'] || undefined,
          kind: row['sourceKind'] || undefined,
          language: row['sourceLanguage'] || undefined,
        },
        conditions: row['conditions'] || conditionIds.length > 0 ? { text: row['conditions'] || undefined, pointIds: conditionIds.length > 0 ? conditionIds : undefined } : undefined,
        note: row['note'] || undefined,
        quote: row['quote'] || undefined,
        quoteLanguage: row['quoteLanguage'] || undefined,
        translation: row['translation'] || undefined,
        translationLanguage: row['translationLanguage'] || undefined,
        actorId,
        // A yes on a day now past is moot (the row is history), so a file imported earlier imports again.
        scheduled: scheduled && instantOf(row['effectiveAt'] ?? '') > Date.now() ? true : undefined,
      };
      const parsed = StanceCreate.safeParse(candidate);
      if (!parsed.success) return rowProblems(problems, at, parsed.error, STANCE_FIELD);
      inputs.push({ at, input: parsed.data });
      return undefined;
    });

    // Re-importing the same file changes nothing: a row equal to an event already recorded is skipped.
    const known = await this.signatures(n.id);
    const fresh = inputs.filter(({ input }) => {
      const sig = signature(input);
      if (known.has(sig)) return false;
      known.add(sig); // the same row twice in one file is imported once
      return true;
    });
    const report: ImportReport = {
      dryRun,
      kind: 'stances',
      negotiation: { id: n.id, slug: n.slug, title: n.title },
      counts: { stanceEvents: { created: fresh.length, updated: 0, unchanged: inputs.length - fresh.length + skipped } },
      unchanged: fresh.length === 0,
      errors: problems,
    };
    if (problems.length > 0 && !dryRun) throw importRefused(problems);
    if (dryRun || fresh.length === 0) return report;
    await this.db.write((tx) =>
      this.stances.recordManyIn(
        tx,
        n.id,
        fresh.map((f) => f.input),
        author,
        (i) => `row ${fresh[i].at}`,
      ),
      { weight: fresh.length },
    );
    return report;
  }

  /** What identifies a recorded stance for "already imported": every field a CSV row carries. */
  private async signatures(negotiationId: string): Promise<Set<string>> {
    const { rows } = await sql<EventRow>(this.db.read, `SELECT ${EVENT_SELECT_UNRETRACTED} FROM ${EVENT_ONLY_FROM} WHERE e.negotiation_id = ?`, [negotiationId]);
    return new Set(rows.map((row) => contentKey(entityOfRow(row))));
  }
}

function signature(s: StanceCreate): string {
  return contentKey(entityOfInput(s, '', 0, 0, ''));
}

/** Schema paths → the CSV column that holds them. */
const POINT_FIELD = (path: string) => path;
const STANCE_FIELD = (path: string) =>
  ({
    partyId: 'party',
    pointId: 'point',
    actorId: 'actor',
    'source.url': 'sourceUrl',
    'source.outlet': 'sourceOutlet',
    'source.title': 'sourceTitle',
    'source.publishedAt': 'sourcePublishedAt',
    'source.kind': 'sourceKind',
    'source.language': 'sourceLanguage',
    source: 'sourceUrl/sourceOutlet/sourceTitle',
    'conditions.text': 'conditions',
  })[path] ?? (path.startsWith('conditions.pointIds') ? 'conditionPoints' : path);

/** A yes/no cell: true, false (also for an empty or missing cell), or null when it is neither. */
function yesNo(value: string | undefined): boolean | null {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'no' || v === 'false' || v === '0') return false;
  if (v === 'yes' || v === 'true' || v === '1') return true;
  return null;
}

function rowProblems(problems: ImportProblem[], at: number, error: z.ZodError, column: (path: string) => string): void {
  for (const issue of error.issues) {
    problems.push({ row: at, field: `row ${at}: ${column(issue.path.join('.')) || 'row'}`, message: issue.message });
  }
}

/** A spreadsheet-safe cell written by our exports ("'=…") reads back as the text it was. */
function unescapeFormula(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

/**
 * The CSV's data rows by column, and each one's row number as a spreadsheet shows it: the header is
 * row 1, a skipped empty line still counts, a cell spanning lines is one row.
 */
function readCsv(text: string, kind: 'points' | 'stances'): { rows: Row[]; rowNumbers: number[]; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const allowed = new Set<string>(kind === 'points' ? POINT_CSV_COLUMNS : [...STANCE_CSV_COLUMNS, ...EXPORT_ONLY_COLUMNS]);
  let records: string[][];
  let rowNumbers: number[];
  try {
    // With `info`, each record comes with the parser's counts (csv-parse's types do not model it).
    const parsed = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false, info: true }) as unknown as { record: string[]; info: Info }[];
    records = parsed.map((r) => r.record);
    rowNumbers = parsed.slice(1).map((r) => r.info.records + r.info.empty_lines);
  } catch (err) {
    const e = err as Error & { lines?: number; code?: string };
    throw new AppError(400, 'VALIDATION_FAILED', `The CSV cannot be read${e.lines ? ` (line ${e.lines})` : ''}: ${e.message}; nothing was imported`, [
      { field: e.lines ? `line ${e.lines}` : 'body', message: e.message },
    ]);
  }
  const [header, ...data] = records;
  if (!header) throw new AppError(400, 'VALIDATION_FAILED', 'The CSV is empty: it needs a header row and at least one data row; nothing was imported', [{ field: 'body', message: 'empty' }]);
  const columns = header.map((h) => h.trim());
  const unknown = columns.filter((c) => !allowed.has(c));
  const missing = REQUIRED_CSV_COLUMNS[kind].filter((c) => !columns.includes(c));
  const duplicate = columns.filter((c, i) => columns.indexOf(c) !== i);
  const headerProblems: ImportProblem[] = [
    ...unknown.map((c) => ({ field: 'header', message: `unknown column '${c}' (the columns are: ${[...(kind === 'points' ? POINT_CSV_COLUMNS : STANCE_CSV_COLUMNS)].join(', ')})` })),
    ...missing.map((c) => ({ field: 'header', message: `column '${c}' is missing` })),
    ...duplicate.map((c) => ({ field: 'header', message: `column '${c}' appears twice` })),
  ];
  if (headerProblems.length > 0) throw importRefused(headerProblems);
  if (data.length === 0) throw importRefused([{ field: 'body', message: 'the CSV has a header but no data rows' }]);
  if (data.length > CSV_IMPORT_MAX_ROWS) {
    throw new AppError(413, 'PAYLOAD_TOO_LARGE', `The CSV has ${data.length} rows; at most ${CSV_IMPORT_MAX_ROWS} are imported at once. Split the file; nothing was imported`);
  }
  const rows = data.map((values) => Object.fromEntries(columns.map((c, i) => [c, unescapeFormula(values[i] ?? '').trim()])));
  return { rows, rowNumbers, problems };
}

