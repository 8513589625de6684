import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensurePrivateDir } from '../common/private-files';

const INITIAL_ADMIN_FILE = 'initial-admin-password.txt';

/** The first admin as a start found or created it. */
export interface InitialAdmin {
  /** Created by this start; `password` only when generated (null when it came from ADMIN_PASSWORD). */
  created: { email: string; password: string | null } | null;
  /** The file holding the generated first password, while it exists (see forgetInitialPassword). */
  passwordFile: string | null;
}

/** Where a generated first password is kept (mode 0600) in the data folder. */
export function initialAdminFile(dataDir: string): string {
  return path.join(dataDir, INITIAL_ADMIN_FILE);
}

/** The generated first password's file, while it is there (its admin has not changed it yet). */
export function initialPasswordFile(dataDir: string): string | null {
  const file = initialAdminFile(dataDir);
  return fs.existsSync(file) ? file : null;
}

/** Writes a generated first password for the start-up banner; returns its file. */
export function writeInitialPassword(dataDir: string, email: string, password: string): string {
  const passwordFile = initialAdminFile(dataDir);
  ensurePrivateDir(dataDir);
  fs.writeFileSync(passwordFile, `email: ${email}\npassword: ${password}\n`, { mode: 0o600 });
  return passwordFile;
}

/** The generated first password is no longer valid once its admin has chosen another: its file goes. */
export function forgetInitialPassword(dataDir: string, email: string): void {
  const file = initialAdminFile(dataDir);
  try {
    if (/^email: (.+)$/m.exec(fs.readFileSync(file, 'utf8'))?.[1] === email) fs.rmSync(file, { force: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
