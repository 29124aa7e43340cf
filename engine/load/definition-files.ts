import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * How definition files are read. Loading a registry goes through one `rememberingFiles()` reader, so an
 * integration compiled later (on first use) is compiled from exactly the texts the registry checked when it was
 * loaded, whatever happened to the files since.
 */
export interface DefinitionFiles {
  /** Entry names of a folder; throws as readdirSync does. */
  list(dir: string): string[];
  isDir(path: string): boolean;
  exists(path: string): boolean;
  /** A file's UTF-8 text; throws as readFileSync does. */
  read(path: string): string;
  /** The value parsed from the text `read` gives for this file, when known (parsed before in this load, or recorded). */
  parsed?(path: string): unknown;
  /** Keep the value parsed from this file's text. */
  keepParsed?(path: string, value: unknown): void;
}

export const diskFiles: DefinitionFiles = {
  list: (dir) => readdirSync(dir),
  isDir: (path) => statSync(path).isDirectory(),
  exists: (path) => existsSync(path),
  read: (path) => readFileSync(path, 'utf8'),
};

type Outcome<T> = { value: T } | { error: unknown };

/**
 * A reader that goes to disk once per path and answers the same (text or failure) ever after, and keeps the values
 * parsed from those texts.
 */
export function rememberingFiles(disk: DefinitionFiles = diskFiles): DefinitionFiles {
  const seen = new Map<string, Outcome<unknown>>();
  const values = new Map<string, unknown>();
  // one entry per file however its path is written (a folder joined to a name, or an extends target resolved)
  const once = <T>(kind: string, path: string, read: () => T): T => {
    const key = `${kind}\0${resolve(path)}`;
    let outcome = seen.get(key) as Outcome<T> | undefined;
    if (!outcome) {
      try {
        outcome = { value: read() };
      } catch (error) {
        outcome = { error };
      }
      seen.set(key, outcome);
    }
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  };
  return {
    list: (dir) => [...once('list', dir, () => disk.list(dir))],
    isDir: (path) => once('isDir', path, () => disk.isDir(path)),
    exists: (path) => once('exists', path, () => disk.exists(path)),
    read: (path) => once('read', path, () => disk.read(path)),
    parsed: (path) => values.get(resolve(path)),
    keepParsed: (path, value) => void values.set(resolve(path), value),
  };
}
