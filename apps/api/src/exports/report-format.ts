import { POSITION_LABEL, SOURCE_KIND_LABEL } from '@parley/contracts';
import type { MatrixRow, Party, PlanDocument, Point, Position, StanceEvent, Swatch, TimePrecision } from '@parley/contracts';
import type { ChangesWindow } from './changes-window';
import type { ReportData } from './report-data';

/**
 * Helpers shared by the PDF and XLSX renderers: position colours and labels, name lookups and date
 * formatting. Pure functions of the report data, no I/O. The colours and labels are the dashboard's
 * (libs/contracts).
 */

export { POSITION_SWATCH, type Swatch } from '@parley/contracts';

/** Fill and text of a cell with no stated position: white with a grey dash, never a score of 0. */
export const NO_POSITION_SWATCH: Swatch = { background: '#ffffff', color: '#8a8a8a' };
export const NO_POSITION_SHORT = '-';

/** Short labels for narrow matrix cells; colour is never the only cue. */
export const POSITION_SHORT: Readonly<Record<Position, string>> = {
  accept: 'Acc',
  conditional: 'Cond',
  amend: 'Amd',
  unclear: '?',
  reject: 'Rej',
  red_line: 'RED',
};

export { POSITION_LABEL };

/** Suffix marking a stance that carries conditions (text or linked points). */
export const CONDITIONS_MARK = '*';

export function hasConditions(event: StanceEvent): boolean {
  return (event.conditions.text !== null && event.conditions.text.trim() !== '') || event.conditions.pointIds.length > 0;
}

export function positionOf(row: MatrixRow, partyId: string): StanceEvent | null {
  return row.cells[partyId]?.stance ?? null;
}

/** "Agreed", "Blocked", "Spread 3" or "No positions": the row summary shown in both reports. */
/**
 * The parties whose stance in force on the row is corroborated by two or more independent outlets
 * (libs/domain corroboration.ts), with the count: "UA (2 outlets); RU (3 outlets)"; empty when none.
 */
export function corroboratedText(row: MatrixRow, parties: readonly Pick<Party, 'id' | 'code'>[]): string {
  return parties
    .flatMap((p) => {
      const c = row.cells[p.id]?.corroboration;
      return c?.corroborated ? [`${p.code} (${c.outlets} outlets)`] : [];
    })
    .join('; ');
}

export function summaryLabel(row: MatrixRow): string {
  const s = row.summary;
  if (s.stated === 0 || s.spread === null) return 'No positions';
  if (s.blocked) return 'Blocked';
  if (s.agreed) return 'Agreed';
  return `Spread ${s.spread}`;
}

export { CATEGORY_LABEL } from '@parley/contracts';

/** The point's number in the chosen document, else its code. */
export function rowNumber(row: MatrixRow): string {
  return row.number ?? row.point.code;
}

export interface Totals {
  points: number;
  agreed: number;
  blocked: number;
  addressed: number;
}

export function totalsOf(rows: readonly MatrixRow[]): Totals {
  let agreed = 0;
  let blocked = 0;
  let addressed = 0;
  for (const row of rows) {
    if (row.summary.agreed) agreed++;
    if (row.summary.blocked) blocked++;
    if (row.summary.stated > 0) addressed++;
  }
  return { points: rows.length, agreed, blocked, addressed };
}

// ---------- lookups ----------

export interface NamedParty {
  id: string;
  code: string;
  name: string;
  color: string;
}

/** Id → record maps over the report's reference data, with safe fallbacks for unknown ids. */
export class ReportLookup {
  private readonly parties = new Map<string, NamedParty>();
  private readonly points = new Map<string, Pick<Point, 'id' | 'code' | 'title' | 'category'>>();
  private readonly actors = new Map<string, string>();
  private readonly documents = new Map<string, PlanDocument>();
  private readonly milestones = new Map<string, string>();

  constructor(data: Pick<ReportData, 'parties' | 'allParties' | 'allPoints' | 'rows' | 'documents' | 'milestones'>) {
    for (const p of data.allParties) this.parties.set(p.id, p);
    for (const p of data.parties) if (!this.parties.has(p.id)) this.parties.set(p.id, p);
    for (const p of data.allPoints) this.points.set(p.id, p);
    for (const r of data.rows) if (!this.points.has(r.point.id)) this.points.set(r.point.id, r.point);
    for (const p of data.allParties) for (const a of p.actors) this.actors.set(a.id, a.name);
    for (const d of data.documents) this.documents.set(d.id, d);
    for (const m of data.milestones) this.milestones.set(m.id, m.title);
  }

  party(id: string): NamedParty {
    return this.parties.get(id) ?? { id, code: '?', name: 'Unknown party', color: '#999999' };
  }

  point(id: string): Pick<Point, 'id' | 'code' | 'title' | 'category'> {
    return this.points.get(id) ?? { id, code: '?', title: 'Unknown point', category: 'political' };
  }

  actorName(id: string | null): string | null {
    if (id === null) return null;
    return this.actors.get(id) ?? null;
  }

  document(id: string | null): PlanDocument | null {
    if (id === null) return null;
    return this.documents.get(id) ?? null;
  }

  milestoneTitle(id: string | null): string | null {
    if (id === null) return null;
    return this.milestones.get(id) ?? null;
  }

  /** Parent party code, for the Parties sheet. */
  partyCode(id: string | null): string | null {
    return id === null ? null : this.party(id).code;
  }
}

/** Actors of a party, "Name (role)" joined, retired ones marked. */
export function actorsText(party: Party): string {
  return party.actors
    .map((a) => `${a.name}${a.role ? ` (${a.role})` : ''}${a.retired ? ' [retired]' : ''}`)
    .join('; ');
}

// ---------- dates ----------

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** Parses an ISO date or date-time; a bare day is midnight UTC. Null for null or unparseable input. */
export function parseIso(value: string | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** "21 Nov 2025" (UTC). */
export function formatDay(value: string | Date): string {
  const d = typeof value === 'string' ? parseIso(value) : value;
  if (d === null) return String(value);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "21 Nov" (UTC), for axis labels. */
export function formatDayShort(d: Date): string {
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

/**
 * "21 Nov 2025, 14:30 UTC"; a bare day, midnight or the last millisecond of a day (how the API
 * echoes a day-only asOf) is shown as the day alone.
 */
export function formatInstant(value: string): string {
  const d = parseIso(value);
  if (d === null) return value;
  const h = d.getUTCHours();
  const m = d.getUTCMinutes();
  const s = d.getUTCSeconds();
  const startOfDay = h === 0 && m === 0 && s === 0 && d.getUTCMilliseconds() === 0;
  const endOfDay = h === 23 && m === 59 && s === 59;
  if (startOfDay || endOfDay) return formatDay(d);
  return `${formatDay(d)}, ${pad(h)}:${pad(m)} UTC`;
}

/** An effective date at its recorded precision. */
export function formatEffective(value: string, precision: TimePrecision): string {
  switch (precision) {
    case 'day':
      return formatDay(value);
    case 'time':
      return formatInstant(value);
  }
}

/**
 * The section's heading in words, the same in every format: "Changes effective between 26 Nov 2025
 * and 3 Dec 2025", "Changes recorded since 1 Dec 2025, 14:30 UTC", or both joined.
 */
export function changesHeading(labels: ChangesWindow['labels'], format: (iso: string) => string = formatInstant): string {
  const parts: string[] = [];
  if (labels.effectiveFrom !== null) parts.push(`effective between ${format(labels.effectiveFrom)} and ${format(labels.effectiveTo)}`);
  if (labels.recordedSince !== null) parts.push(`recorded since ${format(labels.recordedSince)}`);
  return `Changes ${parts.join(', ')}`;
}

// ---------- sources ----------

export function sourceText(source: StanceEvent['source']): string {
  const named = [source.outlet, source.title].filter((s): s is string => s !== null && s !== '').join(', ');
  if (named !== '' || source.description === null) return named;
  // A source without outlet or headline (paraphrased public reporting, a document): its kind and what it is.
  return source.kind === null ? source.description : `${SOURCE_KIND_LABEL[source.kind]}: ${source.description}`;
}

/** Identity of a source for de-duplication: its record, else its URL, else outlet + title. */
export function sourceKey(source: StanceEvent['source']): string {
  if (source.id !== null) return `i:${source.id}`;
  if (source.url !== null && source.url !== '') return `u:${source.url}`;
  return `o:${source.outlet ?? ''}\u0000${source.title ?? ''}`;
}
