import * as net from 'node:net';
import * as path from 'node:path';
import type { InitialAdmin } from './auth/initial-admin';

/** A start refused for a reason the operator can fix, told in one line (no stack trace). */
export class StartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartError';
  }
}

/** Listens on the address and closes at once: the error code when that fails, null when it worked. */
function tryListen(port: number, host: string): Promise<string | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'EUNKNOWN'));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

/** A port that is free now, near the one asked for, to suggest in the refusal. */
async function freePortNear(port: number, host: string): Promise<number | null> {
  for (let candidate = Math.max(port + 1, 1024); candidate <= Math.min(Math.max(port, 1023) + 20, 65535); candidate++) {
    if ((await tryListen(candidate, host)) === null) return candidate;
  }
  return null;
}

/** The one-line refusal for a failed listen (error code `code`). */
export async function listenRefusal(code: string, port: number, host: string): Promise<StartError> {
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new StartError(`HOST=${host} is not an address of this machine (${code}); set HOST=0.0.0.0 (every address) or one of its addresses.`);
  }
  const free = await freePortNear(port, host);
  const instead = free === null ? 'set PORT=… to a free port' : `set PORT=${free} (free now), e.g. PORT=${free} npm start`;
  if (code === 'EADDRINUSE') return new StartError(`PORT ${port} is in use; ${instead}, or stop the program that holds it.`);
  if (code === 'EACCES') return new StartError(`PORT ${port} needs privileges this user does not have (EACCES); ${instead}.`);
  return new StartError(`Cannot listen on ${host}:${port} (${code}); ${instead}.`);
}

/**
 * Refuses the start when the address cannot be listened on, before anything else: no database
 * opened, no admin created, no demo loaded (a later start would not show that admin's password).
 */
export async function ensureCanListen(port: number, host: string): Promise<void> {
  if (port === 0) return; // any free port: nothing to check
  const code = await tryListen(port, host);
  if (code !== null) throw await listenRefusal(code, port, host);
}

/** A file name as the person who started Parley can type it: relative to their folder when inside it. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : `.${path.sep}${relative}`;
}

/** The first admin's lines: created now (its password when generated), or where its password still is. */
export function adminLines(admin: InitialAdmin): string[] {
  const lines: string[] = [];
  if (admin.created) {
    lines.push(`Created the first admin account: ${admin.created.email} / ${admin.created.password ?? '(the password in ADMIN_PASSWORD)'}`);
  }
  if (admin.passwordFile) {
    lines.push(`The first admin's password is in ${shown(admin.passwordFile)} until they change it (delete the file once it has been changed elsewhere).`);
  }
  return lines;
}

/** The last lines of a start: where Parley answers, then the first admin's lines. */
export function startBanner(url: string, data: string, admin: InitialAdmin): string[] {
  return [`Parley is running at ${url} (API docs: ${url}/api/docs; data: ${data})`, ...adminLines(admin)];
}
