import { spawn } from 'node:child_process';
import { parse } from 'parse5';
import type { ArchiveContentType } from '@parley/contracts';
import { AppError, invalid } from '../common/app-error';

/** Most time a PDF's text may take to read (a hostile file is stopped, not waited for). */
const PDF_TIMEOUT_MS = 30_000;
/** Heap of the process reading a PDF: a hostile file cannot take the server's memory. */
const PDF_HEAP_MB = 256;

const refused = (contentType: string, why: string): AppError => invalid([{ field: 'body', message: `${why}: not a readable ${contentType}; nothing was changed` }]);

/** The bytes as UTF-8 text, or a 400 (an archived copy is kept as text: its bytes must say which characters). */
function utf8(bytes: Buffer, contentType: string): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    throw refused(contentType, 'the bytes are not UTF-8');
  }
}

/** NUL cannot be stored in a PostgreSQL text; nothing readable is lost by dropping it. */
const storable = (text: string): string => text.split('\u0000').join('');

// Elements whose content is no text of the page.
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'math', 'iframe', 'object', 'canvas']);
// Elements that end a line of text (block-level ones, line breaks, cells).
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'td', 'th', 'tr', 'ul', 'body', 'caption',
]);

interface HtmlNode {
  nodeName: string;
  value?: string;
  childNodes?: HtmlNode[];
  content?: HtmlNode;
}

/**
 * An HTML page's readable text: parsed as a browser does (parse5, the WHATWG parser jsdom uses), with
 * scripts, styles and the head left out (the title kept as the first line), entities decoded, runs
 * of white space collapsed and one line per block. Walked with a stack of its own, not recursion:
 * a page nested 100,000 deep is read like any other. Nothing of it is ever served as HTML.
 */
export function htmlText(html: string): string {
  const lines: string[] = [];
  let line = '';
  const endLine = () => {
    const t = line.replace(/[ \t\f\r\n\u00a0]+/g, ' ').trim();
    if (t !== '') lines.push(t);
    line = '';
  };
  let title = '';
  // A step: visit a node, or end the block a node opened.
  const stack: ({ node: HtmlNode; inTitle: boolean } | 'end-block')[] = [{ node: parse(html) as unknown as HtmlNode, inTitle: false }];
  for (let step = stack.pop(); step !== undefined; step = stack.pop()) {
    if (step === 'end-block') {
      endLine();
      continue;
    }
    const { node, inTitle } = step;
    const name = node.nodeName;
    if (name === '#text') {
      if (inTitle) title += node.value ?? '';
      else line += node.value ?? '';
      continue;
    }
    if (name === '#comment' || (SKIPPED.has(name) && name !== 'head')) continue;
    let children = node.childNodes ?? [];
    // The head gives only its title.
    if (name === 'head') children = children.filter((c) => c.nodeName === 'title');
    const childInTitle = inTitle || name === 'title';
    const block = BLOCK.has(name) && !childInTitle;
    if (block) {
      endLine();
      stack.push('end-block');
    }
    for (const child of [...children].reverse()) stack.push({ node: child, inTitle: childInTitle });
  }
  endLine();
  const heading = title.replace(/\s+/g, ' ').trim();
  return [heading, ...lines].filter((l) => l !== '').join('\n');
}

// Runs in a Node process of its own: pdf.js loads its worker with a dynamic import(), which Jest's
// CommonJS sandbox refuses, and a hostile PDF must not hold the server's event loop or memory.
const PDF_SCRIPT = `
import { pathToFileURL } from 'node:url';
const { PDFParse } = await import(pathToFileURL(process.argv[1]).href);
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
try {
  const { pages } = await parser.getText({ pageJoiner: '' });
  process.stdout.write(JSON.stringify(pages.map((p) => p.text)));
} finally {
  await parser.destroy();
}
`;

/** A PDF's text, one page after another (separated by form feeds), read by pdf-parse (pdf.js) in a child process; 400 when it cannot be read. */
export function pdfText(pdf: Buffer): Promise<string> {
  if (pdf.subarray(0, 1024).indexOf('%PDF-') < 0) return Promise.reject(refused('application/pdf', 'there is no %PDF- header'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${PDF_HEAP_MB}`, '--input-type=module', '-e', PDF_SCRIPT, require.resolve('pdf-parse')], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const out: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), PDF_TIMEOUT_MS);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stdin.on('error', () => undefined); // the reader may exit before reading everything
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(refused('application/pdf', 'pdf.js could not read it'));
      try {
        const pages = JSON.parse(Buffer.concat(out).toString('utf8')) as string[];
        resolve(pages.map((p) => p.trimEnd()).join('\n\f\n'));
      } catch {
        reject(refused('application/pdf', 'pdf.js could not read it'));
      }
    });
    child.stdin.end(pdf);
  });
}

/** The plain text of a copy, by its content type; a 400 when it cannot be read. */
export async function extractText(bytes: Buffer, contentType: ArchiveContentType): Promise<string> {
  switch (contentType) {
    case 'text/plain':
      return storable(utf8(bytes, contentType));
    case 'text/html':
      return storable(htmlText(utf8(bytes, contentType)));
    case 'application/pdf':
      return storable(await pdfText(bytes));
  }
}
