import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The SQLite/PostgreSQL differences live in database/ (dialect.ts): nothing else asks which driver
 * runs. config/ may, as it reads DATABASE_URL into the DatabaseConfig union.
 */
describe('dialect boundary', () => {
  const src = path.resolve(__dirname, '..');
  const allowed = ['database', 'config'].map((dir) => path.join(src, dir) + path.sep);
  const ASKS = [
    /\.driver\b/, // db.driver, config.driver, config.database.driver
    /\boptions\.type\b/, // manager.connection.options.type, ds.options.type
    /\bdriver\s*:\s*['"](?:sqlite|postgres)['"]/, // a DatabaseConfig made by hand
  ];

  function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(file);
      return /\.tsx?$/.test(entry.name) ? [file] : [];
    });
  }

  it('no file outside database/ and config/ asks which driver runs', () => {
    const files = sourceFiles(src).filter((file) => !allowed.some((dir) => file.startsWith(dir)));
    expect(files.length).toBeGreaterThan(50);
    const offending = files.flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (ASKS.some((ask) => ask.test(line)) ? [`${path.relative(src, file)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offending).toEqual([]);
  });
});
