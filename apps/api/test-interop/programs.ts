import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/**
 * The programs people open our exports in, driven from the interop suite: poppler's pdftotext and
 * pdfinfo, LibreOffice (soffice) and Python's csv module. `.ci/run` installs them; `npm test` reads the
 * same files with JavaScript readers instead.
 */

/** A temporary folder for one test's files; `cleanup` removes it. */
export function workDir(): { dir: string; write(name: string, bytes: Buffer | string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'parley-interop-'));
  return {
    dir,
    write: (name, bytes) => {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      return file;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** pdftotext -layout: the whole file (pages separated by form feeds) or the pages first..last. */
export function pdfText(file: string, first?: number, last?: number): string {
  const range = first ? ['-f', String(first), '-l', String(last ?? first)] : [];
  return execFileSync('pdftotext', ['-layout', ...range, file, '-'], { encoding: 'utf8' });
}

/** pdfinfo's page count, title and author. */
export function pdfInfo(file: string): { pages: number; title: string; author: string } {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const field = (name: string) => new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(info)?.[1] ?? '';
  return { pages: Number(field('Pages')), title: field('Title'), author: field('Author') };
}

/** CSV filter options: comma, double quote, UTF-8, from line 1, en-US (see LibreOffice's "Filter Options for the CSV Filter"). */
const CSV_BASE = '44,34,76,1,,1033';

/**
 * Opens `file` in LibreOffice Calc and saves its first sheet as CSV (every text cell quoted, formulas
 * written as formulas, so a cell that Calc took for a formula comes out starting with "=").
 * A CSV input is opened as a user with "Evaluate formulas" on would open it (the 13th option).
 */
export function libreOfficeCsv(file: string): string {
  const out = workDir();
  try {
    const input = file.endsWith('.csv') ? [`--infilter=CSV:${CSV_BASE},false,false,false,false,false,0,true`] : [];
    execFileSync('soffice', ['--headless', ...input, '--convert-to', `csv:Text - txt - csv (StarCalc):${CSV_BASE},true,true,false,true`, '--outdir', out.dir, file], {
      // A profile of its own, so a second soffice on the machine does not share it.
      env: { ...process.env, HOME: out.dir },
      stdio: 'pipe',
      timeout: 90_000,
    });
    return readFileSync(join(out.dir, basename(file).replace(/\.[^.]+$/, '.csv')), 'utf8');
  } finally {
    out.cleanup();
  }
}

/** The rows of a CSV as Python's csv module reads them (utf-8-sig drops a BOM; newline='' keeps line breaks in cells). */
export function pythonCsvRows(file: string): string[][] {
  const script = [
    'import csv, json, sys',
    "with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:",
    '    json.dump(list(csv.reader(f)), sys.stdout)',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' })) as string[][];
}
