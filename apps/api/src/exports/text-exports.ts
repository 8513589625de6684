import { POSITION_LABEL, type Party, type Point, type StanceEvent } from '@parley/contracts';
import { rowStatus, summarize } from '@parley/domain';
import { stringify } from 'csv-stringify/sync';
import type { EventStream, ReportData } from './report-data';
import { changesHeading, corroboratedText, sourceText } from './report-format';

/**
 * CSV as RFC 4180 says (CRLF, quotes doubled), UTF-8, optionally with a BOM for Excel. Every cell
 * holding CR, LF, a comma or a quote is quoted: csv-stringify quotes a lone CR or LF only with
 * `quote_record_delimiter`, and an unquoted line break forges rows.
 */
export function csvLine(values: readonly (string | number | null)[]): string {
  return stringify([values.map(guardFormula)], { record_delimiter: 'windows', quote_record_delimiter: true });
}

/** What a spreadsheet runs as a formula: OWASP's CSV-injection list (= + - @, tab, CR) and the fullwidth forms. */
const FORMULA_AT_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** The same after a line break inside a cell (a CR there is a line break itself). */
const FORMULA_AFTER_BREAK = /(\r\n|\r|\n)(?=[=+\-@\t\uFF1D\uFF0B\uFF0D\uFF20])/g;

/**
 * A text cell starting a formula gets a leading apostrophe, and so does each line inside it: a reader
 * that splits lines (or a file opened with the wrong settings) must not find a formula there either.
 * Numbers are written as they are.
 */
function guardFormula(value: string | number | null): string | number {
  if (value === null) return '';
  if (typeof value === 'number') return value;
  const lines = value.replace(FORMULA_AFTER_BREAK, "$1'");
  return FORMULA_AT_START.test(lines) ? `'${lines}` : lines;
}

export const BOM = '\uFEFF';

/** The columns of the change-log CSV. The stance columns match the stance import, so the file can be imported elsewhere. */
export const CHANGES_CSV_COLUMNS = [
  'seq',
  'recordedAt',
  'recordedBy',
  'party',
  'partyName',
  'point',
  'pointTitle',
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
  'documentId',
  'milestoneId',
  'retracted',
  'retractionReason',
  'retractedAt',
  'retractedBy',
  'eventId',
] as const;

export function matrixCsv(data: ReportData, bom: boolean): string {
  const header = ['number', 'code', 'title', 'category', 'status', 'spread', ...data.parties.map((p) => p.code), 'corroborated'];
  const out = [bom ? BOM : '', csvLine(header)];
  for (const row of data.rows) {
    out.push(
      csvLine([
        row.number,
        row.point.code,
        row.point.title,
        row.point.category,
        rowStatus(row.summary),
        row.summary.spread,
        ...data.parties.map((p) => {
          const stance = row.cells[p.id]?.stance;
          return stance ? POSITION_LABEL[stance.position] : '';
        }),
        corroboratedText(row, data.parties),
      ]),
    );
  }
  return out.join('');
}

export interface Names {
  party: Map<string, Party>;
  point: Map<string, Point>;
  actor: Map<string, string>;
}

export function namesOf(parties: readonly Party[], points: readonly Point[]): Names {
  return {
    party: new Map(parties.map((p) => [p.id, p])),
    point: new Map(points.map((p) => [p.id, p])),
    actor: new Map(parties.flatMap((p) => p.actors.map((a) => [a.id, a.name] as const))),
  };
}

/** Day-precision dates are written as the day, as they were entered. */
export function dateOf(iso: string, precision: 'day' | 'time'): string {
  return precision === 'day' ? iso.slice(0, 10) : iso;
}

export async function* changesCsv(events: EventStream, names: Names, bom: boolean): AsyncGenerator<string> {
  yield (bom ? BOM : '') + csvLine(CHANGES_CSV_COLUMNS);
  let batch: string[] = [];
  for await (const e of events) {
    batch.push(csvLine(changeRow(e, names)));
    if (batch.length >= 500) {
      yield batch.join('');
      batch = [];
    }
  }
  if (batch.length > 0) yield batch.join('');
}

function changeRow(e: StanceEvent, names: Names): (string | number | null)[] {
  const party = names.party.get(e.partyId);
  const point = names.point.get(e.pointId);
  return [
    e.seq,
    e.recordedAt,
    e.recordedBy,
    party?.code ?? e.partyId,
    party?.name ?? null,
    point?.code ?? e.pointId,
    point?.title ?? null,
    e.position,
    e.confidence,
    dateOf(e.effectiveAt, e.effectivePrecision),
    e.conditions.text,
    e.conditions.pointIds.map((id) => names.point.get(id)?.code ?? id).join(' '),
    e.note,
    e.quote,
    e.quoteLanguage,
    e.translation,
    e.translationLanguage,
    e.actorId ? (names.actor.get(e.actorId) ?? e.actorId) : null,
    e.source.url,
    e.source.outlet,
    e.source.title,
    e.source.publishedAt,
    e.source.kind,
    e.source.language,
    e.documentId,
    e.milestoneId,
    e.retraction ? 'yes' : 'no',
    e.retraction?.reason ?? null,
    e.retraction?.recordedAt ?? null,
    e.retraction?.recordedBy ?? null,
    e.id,
  ];
}

/** Markdown special characters escaped, line breaks flattened: text from sources cannot break the digest's layout. */
function md(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/([\\`*_[\]<>|#])/g, '\\$1');
}

/** A short digest for chat or email: headline figures, what blocks, what is agreed, what changed. */
export function markdownDigest(data: ReportData, dashboardUrl: string | null): string {
  const names = namesOf(data.allParties, data.allPoints);
  const totals = summarize(data.rows.map((r) => r.summary));
  const when = data.asOf ? `as of ${data.asOf.slice(0, 10)}` : 'now';
  const out: string[] = [];
  out.push(`# ${md(data.negotiation.title)} — positions ${when}`, '');
  const meta = [`Generated ${data.generatedAt.slice(0, 16).replace('T', ' ')} UTC`];
  if (data.knownAt) meta.push(`as known at ${data.knownAt.slice(0, 16).replace('T', ' ')} UTC`);
  if (data.filters) meta.push(`filtered by ${md(data.filters)}`);
  if (data.document) meta.push(`numbered as in ${md(data.document.title)}`);
  out.push(`_${meta.join(' · ')}_`, '');
  out.push(
    `**${totals.points} points · ${totals.agreed} agreed · ${totals.blocked} blocked** among ${data.parties.map((p) => p.code).join(', ') || 'no parties'}.`,
    '',
  );
  const label = (row: ReportData['rows'][number]) => `${row.number ?? row.point.code} ${md(row.point.title)}`;
  const blocked = data.rows.filter((r) => r.summary.blocked);
  if (blocked.length > 0) {
    out.push('## Blocked', '');
    for (const row of blocked) {
      const holders = data.parties.filter((p) => row.cells[p.id]?.stance?.position === 'red_line').map((p) => p.code);
      out.push(`- **${label(row)}** — red line: ${holders.join(', ')}`);
    }
    out.push('');
  }
  const agreed = data.rows.filter((r) => r.summary.agreed);
  if (agreed.length > 0) {
    out.push('## Agreed', '');
    for (const row of agreed) out.push(`- ${label(row)} (${row.summary.stated} of ${data.parties.length} parties stated)`);
    out.push('');
  }
  const open = data.rows.filter((r) => !r.summary.agreed && !r.summary.blocked && r.summary.stated > 0);
  if (open.length > 0) {
    out.push('## Widest gaps', '');
    for (const row of [...open].sort((a, b) => (b.summary.spread ?? 0) - (a.summary.spread ?? 0)).slice(0, 5)) {
      const stated = data.parties.flatMap((p) => {
        const stance = row.cells[p.id]?.stance;
        return stance ? [`${p.code} ${POSITION_LABEL[stance.position].toLowerCase()}`] : [];
      });
      out.push(`- ${label(row)}: ${stated.join(', ')}`);
    }
    out.push('');
  }
  if (data.changesWindow) {
    out.push(`## ${changesHeading(data.changesWindow, (iso) => iso.slice(0, 10))}`, '');
    if (data.changes.length === 0) out.push('No changes.');
    for (const e of data.changes.slice(-20).reverse()) {
      const party = names.party.get(e.partyId)?.code ?? '?';
      const point = names.point.get(e.pointId);
      const source = sourceText(e.source) || (e.source.url ?? 'no source');
      const retracted = e.retraction ? ` ~~retracted: ${md(e.retraction.reason)}~~` : '';
      out.push(
        `- ${dateOf(e.effectiveAt, e.effectivePrecision).slice(0, 10)} **${party}** ${POSITION_LABEL[e.position].toLowerCase()} on ${md(point ? `${point.code} ${point.title}` : e.pointId)} (${md(source)})${retracted}`,
      );
    }
    if (data.changesTotal > 20) out.push(`- … and ${data.changesTotal - 20} more`);
    out.push('');
  }
  if (dashboardUrl) out.push(`[Open the live dashboard](${dashboardUrl})`, '');
  return out.join('\n');
}
