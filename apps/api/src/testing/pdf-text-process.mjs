// Runs as its own Node process, started by pdf-text.ts: reads a PDF on stdin, writes its text per page
// and its Title/Author as JSON on stdout.
import { PDFParse } from 'pdf-parse';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
try {
  const { info } = await parser.getInfo();
  const { pages } = await parser.getText({ pageJoiner: '' });
  process.stdout.write(JSON.stringify({ pages: pages.map((p) => p.text), title: info?.Title ?? null, author: info?.Author ?? null }));
} finally {
  await parser.destroy();
}
