import { UnimapError } from '../errors';
import { readJsonFile } from './io';

/** `--resource CATEGORY/RESOURCE` as its two parts. */
export function splitResource(value: string): [string, string] {
  const parts = value.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new UnimapError('UNIMAP_E_REQ_RESOURCE_NOT_FOUND', `--resource must be CATEGORY/RESOURCE, e.g. user-directory/users; got "${value}"`);
  return parts as [string, string];
}

/** Commander's collector for a repeatable option (`--step a=a.json --step b=b.json`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `name=file.json` options read into { name: JSON value }. */
export function readNamedFiles(values: readonly string[] | undefined, option: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const value of values ?? []) {
    const at = value.indexOf('=');
    if (at <= 0) throw new UnimapError('UNIMAP_E_REQ_INVALID_JSON', `--${option} takes NAME=FILE (e.g. --${option} fetch=fetch.json); got "${value}"`);
    out[value.slice(0, at)] = readJsonFile(value.slice(at + 1), `${option} ${value.slice(0, at)}`);
  }
  return out;
}

export function stripUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
