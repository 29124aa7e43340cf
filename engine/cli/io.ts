import { readFileSync } from 'node:fs';
import { UnimapError } from '../errors';

/** Where the CLI writes; tests pass their own to capture output. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** Read a text file given on the command line (`-` is stdin), e.g. a recorded XML answer. */
export function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch {
    throw new UnimapError('UNIMAP_E_LOAD_FILE', `cannot read ${what} file ${path}`);
  }
}

/** Read a JSON file given on the command line; `-` is stdin. Invalid JSON is UNIMAP_E_REQ_INVALID_JSON with the position. */
export function readJsonFile(path: string, what: string): unknown {
  const text = readTextFile(path, what);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UnimapError('UNIMAP_E_REQ_INVALID_JSON', `${what} file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

export function readJsonObject(path: string | undefined, what: string): Record<string, unknown> {
  if (path === undefined) return {};
  const value = readJsonFile(path, what);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UnimapError('UNIMAP_E_REQ_INVALID_JSON', `${what} file ${path} must hold a JSON object`);
  }
  return value as Record<string, unknown>;
}
