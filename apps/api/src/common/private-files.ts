import * as fs from 'node:fs';

/**
 * The data folder and the files in it hold password and token hashes, the JWT secret and the first
 * admin's password: readable by the account that runs Parley only. Modes apply to what Parley
 * creates; a folder or file that already exists keeps the modes its owner gave it.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates the folder (and any missing parents) 0700 if it does not exist. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Creates an empty file 0600 if it does not exist. For a SQLite database this decides the mode of
 * its -wal and -shm files as well: SQLite gives them the database file's permissions.
 */
export function ensurePrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, 'wx', PRIVATE_FILE_MODE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}
