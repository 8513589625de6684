/**
 * In the built output the shared libraries sit beside the app (dist/api/libs/…), but the compiled
 * code still imports them by their workspace alias. Map the aliases before anything loads them.
 */
import Module from 'node:module';
import * as path from 'node:path';

const distRoot = path.resolve(__dirname, '..', '..', '..');
const ALIASES: Record<string, string> = {
  '@parley/contracts': path.join(distRoot, 'libs/contracts/src/index.js'),
  '@parley/domain': path.join(distRoot, 'libs/domain/src/index.js'),
  '@parley/migrations': path.join(distRoot, 'migrations/index.js'),
  // Present in the benchmark build only.
  '@parley/live-client': path.join(distRoot, 'libs/live-client/src/index.js'),
};

type Resolve = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const original = loader._resolveFilename;
loader._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
  return original.call(this, ALIASES[request] ?? request, ...rest);
};
