import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The ground floor stands under every feature: what a folder here may import, besides itself. A
 * feature's tables reach TypeORM through src/entities.ts (assembled at the top), a feature's own
 * change form through ChangeLog.keepAs, and `@Access`, the principal and the access events live in
 * common/ — so none of these folders needs to import a feature. refs/ (the one resolver of ids and
 * codes) reads the tables by name for the same reason.
 */
const GROUND: Record<string, readonly string[]> = {
  common: [],
  config: ['common'],
  database: ['common', 'config'],
  core: ['common', 'config', 'database'],
  audit: ['common', 'config', 'database'],
  changes: ['common', 'config', 'database', 'audit'],
  refs: ['common', 'config', 'database'],
};

const SRC = __dirname;
const IMPORT = /(?:from|import)\s+'(\.{1,2}\/[^']+)'/g;

function sourcesOf(folder: string): string[] {
  return fs
    .readdirSync(path.join(SRC, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
    .map((f) => path.join(SRC, folder, f));
}

describe('the ground floor imports no feature', () => {
  for (const [folder, allowed] of Object.entries(GROUND)) {
    it(`${folder}/ imports only from ${[folder, ...allowed].join(', ')}`, () => {
      const upward: string[] = [];
      for (const file of sourcesOf(folder)) {
        for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(IMPORT)) {
          const target = path.relative(SRC, path.resolve(path.dirname(file), spec)).split(path.sep)[0];
          if (target !== folder && !allowed.includes(target)) upward.push(`${path.relative(SRC, file)} -> ${spec}`);
        }
      }
      expect(upward).toEqual([]);
    });
  }
});
