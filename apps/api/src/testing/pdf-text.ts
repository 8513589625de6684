import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** A PDF's text read back in JavaScript: one string per page (lines in reading order), and its metadata. */
export interface PdfText {
  pages: string[];
  /** Every page, separated by form feeds as pdftotext does. */
  all: string;
  title: string | null;
  author: string | null;
}

/**
 * Reads a PDF with pdf-parse (pdf.js). pdf.js loads its worker with a dynamic import(), which Jest's
 * CommonJS sandbox refuses, so the reading runs in a child Node process: nothing beyond Node is needed.
 */
export function readPdf(pdf: Buffer): Promise<PdfText> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'pdf-text-process.mjs')], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`reading the PDF failed (exit ${code}): ${Buffer.concat(err).toString('utf8')}`));
        return;
      }
      const parsed = JSON.parse(Buffer.concat(out).toString('utf8')) as Omit<PdfText, 'all'>;
      resolve({ ...parsed, all: parsed.pages.join('\f') });
    });
    child.stdin.end(pdf);
  });
}
