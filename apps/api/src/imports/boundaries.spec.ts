import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every .ts file under a folder of the API's src/, with its path relative to src/. */
function sourcesOf(folder: string): { file: string; text: string }[] {
  const src = path.join(__dirname, '..');
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) out.push({ file: path.relative(src, full), text: fs.readFileSync(full, 'utf8') });
    }
  };
  walk(path.join(src, folder));
  return out;
}

describe('imports and exports keep apart', () => {
  it('exports/ never imports from imports/ (imports stand above exports)', () => {
    const upward = sourcesOf('exports').filter(({ text }) => /from '(\.\.\/)+imports\//.test(text));
    expect(upward.map((s) => s.file)).toEqual([]);
  });

  it('no source file in exports/ or imports/ is over 450 lines', () => {
    const long = [...sourcesOf('exports'), ...sourcesOf('imports')]
      .filter(({ file }) => !file.endsWith('.spec.ts'))
      .map(({ file, text }) => ({ file, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0) }))
      .filter(({ lines }) => lines > 450);
    expect(long).toEqual([]);
  });
});
