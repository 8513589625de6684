import type * as ExcelJS from 'exceljs';
import { cutText } from '@parley/contracts';
import { parseIso } from '../report-format';

/** The workbook's cells: clean text, real dates, and sheets with a styled, frozen, filterable header row. */

export type Value = ExcelJS.CellValue;
export type Sheet = ExcelJS.Worksheet;

export const DATE_TIME = 'yyyy-mm-dd hh:mm:ss';
export const DATE_ONLY = 'yyyy-mm-dd';
/** Excel refuses cells longer than this. */
const MAX_CELL = 32_767;
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEF1F5' } };

export const argb = (hex: string): string => `FF${hex.replace('#', '').toUpperCase()}`;

/** A solid background of the colour `hex` (#rrggbb). */
export const solidFill = (hex: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb: argb(hex) } });

/** The format of a time of this precision: a day shows as a date, a finer time with its clock time. */
export const dateFormatOf = (precision: string): string => (precision === 'day' ? DATE_ONLY : DATE_TIME);

/**
 * Text for a cell or any other string of the workbook: characters XML 1.0 cannot carry (C0 controls
 * but tab, LF and CR; U+FFFE, U+FFFF) dropped, and DEL (exceljs drops it), an unpaired surrogate replaced by U+FFFD, line breaks
 * as LF, cut to Excel's limit without splitting a pair. Only the workbook's copy: the stored value
 * is untouched, and the JSON dump has it exact.
 */
export function cellText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const clean = value
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    // A literal CR would be read back as LF (XML's line-end normalization): say LF, as Excel does.
    .replace(/\r\n?/g, '\n');
  return cutText(clean, MAX_CELL);
}

/** An ISO timestamp as a real Excel date (UTC), or an empty cell. */
export function dateCell(value: string | null | undefined): Date | null {
  return parseIso(value ?? null);
}

export interface ColumnSpec {
  header: string;
  width: number;
  /** Number format for the whole column (dates). */
  numFmt?: string;
}

export function addSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: ColumnSpec[], xSplit: number): Sheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', xSplit, ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  const header = ws.addRow(columns.map((c) => cellText(c.header)));
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  header.eachCell((cell) => {
    cell.fill = HEADER_FILL;
  });
  header.commit();
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return ws;
}

/** Adds and commits one row; string values are cleaned, dates get their column's format. */
export function addRow(ws: Sheet, values: Value[], columns: ColumnSpec[]): ExcelJS.Row {
  const row = ws.addRow(values.map((v) => (typeof v === 'string' ? cellText(v) : v)));
  columns.forEach((c, i) => {
    if (c.numFmt && values[i] instanceof Date) row.getCell(i + 1).numFmt = c.numFmt;
  });
  return row;
}
