import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The dashboard's floors: shared/ (the API client, URL state, formats) at the bottom, features/
 * above it, app/ (the shell) on top. Imports run downwards only, and every call to the API goes
 * through the one client in shared/api.ts.
 */
const SRC = __dirname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sources(path);
    return /\.tsx?$/.test(entry.name) && !/\.spec\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The src-relative targets of a file's relative imports, e.g. "features/auth/AuthProvider". */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s+'(\.{1,2}\/[^']+)'/g)].map((m) => relative(SRC, resolve(dirname(file), m[1]!)));
}

const files = sources(SRC).map((path) => ({ name: relative(SRC, path), path }));

describe('dashboard layers', () => {
  it('shared/ imports no feature and not the shell', () => {
    const upward = files
      .filter((f) => f.name.startsWith('shared/'))
      .flatMap((f) => importsOf(f.path).filter((target) => !target.startsWith('shared/')).map((target) => `${f.name} -> ${target}`));
    expect(upward).toEqual([]);
  });

  it('no feature imports the shell (app/)', () => {
    const upward = files
      .filter((f) => f.name.startsWith('features/'))
      .flatMap((f) => importsOf(f.path).filter((target) => target.startsWith('app/')).map((target) => `${f.name} -> ${target}`));
    expect(upward).toEqual([]);
  });

  it('only the API client calls fetch', () => {
    const callers = files.filter((f) => f.name !== 'shared/api.ts' && /\bfetch\(/.test(readFileSync(f.path, 'utf8'))).map((f) => f.name);
    expect(callers).toEqual([]);
  });
});
