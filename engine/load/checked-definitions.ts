import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { packageRoot } from '../package-paths';
import type { DefinitionFiles } from './definition-files';

/**
 * A record, kept between processes, of the integrations whose definitions were checked without errors: for each,
 * a digest of the texts of its files (its own and the shared files it extends) and of what checked them (this
 * engine's build, the jsonata parser, the format and unified schemas). An integration whose digest still matches
 * is compiled when first used, without its format and cross-file checks: they passed on these same texts with
 * this same engine. Any other integration (new, edited, or once broken) is checked at load as without a record, so
 * a broken definition fails there with the same positioned errors. A missing, stale or unwritable record only
 * means checking everything at load. Records are trusted as the engine's own files are: keep them (UNIMAP_CACHE_DIR)
 * where only the user running the engine can write.
 */
export interface CheckedDefinitions {
  /** True when the integration's files are the ones a previous load checked without errors. */
  unchanged(name: string, ownFiles: readonly string[]): boolean;
  /**
   * Remember an integration checked without errors now (written by `save`), with the values parsed from its files
   * (`parsed(path)`), so compiling it later needs no YAML parser.
   */
  record(name: string, ownFiles: readonly string[], extendedFiles: readonly string[], parsed: (path: string) => unknown): void;
  save(): void;
  /** The parsed values recorded for an unchanged integration, by absolute path (empty when none were kept). */
  parsedValues(name: string): Map<string, unknown>;
}

interface Entry {
  digest: string;
  /** Shared files the integration extends, relative to the mappings folder. */
  extended: string[];
}

interface RecordFile {
  identity: string;
  integrations: Record<string, Entry>;
}

/** Bumped when what a record means changes. */
const RECORD_FORMAT = 1;

/** Files kept in the cache folder, the oldest going first: records (one per mappings folder and engine build), and parsed values (one per integration digest). */
const MAX_RECORD_FILES = 64;
const MAX_PARSED_FILES = 1024;

const NOTHING_CHECKED: CheckedDefinitions = { unchanged: () => false, record: () => undefined, save: () => undefined, parsedValues: () => new Map() };

/**
 * The record for one mappings folder, read from `cacheDir` (undefined: keep none). `identity` names what checks
 * definitions (see checkerIdentity); `files` is the reader the registry loads through.
 */
export function openCheckedDefinitions(cacheDir: string | undefined, mappingsDir: string, identity: string, files: DefinitionFiles): CheckedDefinitions {
  if (cacheDir === undefined) return NOTHING_CHECKED;
  const root = resolve(mappingsDir);
  const path = join(cacheDir, `definitions-${sha256(`${root}\0${identity}`).slice(0, 24)}.json`);
  const known = readRecord(path, identity);
  const fresh: Record<string, Entry> = {};
  const freshValues = new Map<string, Record<string, unknown>>();
  const digestOf = (name: string, own: readonly string[], extended: readonly string[]): string | undefined => {
    const hash = createHash('sha256').update(`${identity}\0${name}\0`);
    const add = (file: string) => hash.update(`${relative(root, file)}\0${files.read(file)}\0`);
    try {
      own.forEach(add);
      hash.update('extends\0');
      extended.forEach(add);
    } catch {
      return undefined; // an unreadable file is reported by loading, which then checks this integration
    }
    return hash.digest('hex');
  };
  return {
    unchanged(name, own) {
      const entry = known[name];
      if (!entry) return false;
      const digest = digestOf(name, own, entry.extended.map((file) => resolve(root, file)));
      return digest !== undefined && digest === entry.digest;
    },
    record(name, own, extended, parsed) {
      const digest = digestOf(name, own, extended);
      if (digest === undefined) return;
      fresh[name] = { digest, extended: extended.map((file) => relative(root, file)) };
      const values: Record<string, unknown> = {};
      for (const file of [...own, ...extended]) {
        const value = parsed(file);
        if (value !== undefined && survivesJson(value)) values[relative(root, file)] = value;
      }
      freshValues.set(digest, values);
    },
    save() {
      if (Object.keys(fresh).length === 0) return;
      for (const [digest, values] of freshValues) writeAtomically(join(cacheDir, `parsed-${digest}.json`), JSON.stringify(values));
      writeAtomically(path, JSON.stringify({ identity, integrations: { ...readRecord(path, identity), ...fresh } }));
      prune(cacheDir, 'definitions-', MAX_RECORD_FILES);
      prune(cacheDir, 'parsed-', MAX_PARSED_FILES);
    },
    parsedValues(name) {
      const values = new Map<string, unknown>();
      const entry = known[name];
      if (!entry) return values;
      try {
        const stored = JSON.parse(readFileSync(join(cacheDir, `parsed-${entry.digest}.json`), 'utf8')) as Record<string, unknown>;
        for (const [file, value] of Object.entries(stored)) values.set(resolve(root, file), value);
      } catch {
        // no values kept (or unreadable): the files are parsed as usual
      }
      return values;
    },
  };
}

/** A value JSON gives back exactly (js-yaml can produce Infinity, NaN and -0, which it cannot). */
function survivesJson(value: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(value)), value);
}

function readRecord(path: string, identity: string): Record<string, Entry> {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<RecordFile>;
    if (parsed.identity !== identity || typeof parsed.integrations !== 'object' || parsed.integrations === null) return {};
    const out: Record<string, Entry> = Object.create(null) as Record<string, Entry>;
    for (const [name, entry] of Object.entries(parsed.integrations)) {
      if (typeof entry?.digest === 'string' && Array.isArray(entry.extended) && entry.extended.every((f) => typeof f === 'string')) out[name] = entry;
    }
    return out;
  } catch {
    return {};
  }
}

/**
 * Written whole under a temporary name, then renamed: a reader sees the old file or the new one, never half. A
 * folder that cannot be written only means checking at every load.
 */
function writeAtomically(path: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch {
    // see above
  }
}

/** Keep at most `max` of the files named `<prefix>….json`, removing the least recently written. */
function prune(dir: string, prefix: string, max: number): void {
  try {
    const names = readdirSync(dir).filter((name) => name.startsWith(prefix) && name.endsWith('.json'));
    if (names.length <= max) return;
    const byAge = names.map((name) => ({ name, mtime: statSync(join(dir, name)).mtimeMs })).sort((a, b) => a.mtime - b.mtime);
    for (const { name } of byAge.slice(0, names.length - max)) unlinkSync(join(dir, name));
  } catch {
    // another process pruned the same files
  }
}

/**
 * Where records are kept: env UNIMAP_CACHE_DIR (`off` or empty: nowhere), else node_modules/.cache/unimap beside
 * the package, where build tools keep theirs; undefined when there is no node_modules folder.
 */
export function definitionCacheDir(): string | undefined {
  const setting = process.env['UNIMAP_CACHE_DIR'];
  if (setting !== undefined) return setting === '' || setting === 'off' ? undefined : resolve(setting);
  const root = packageRoot();
  if (existsSync(join(root, 'node_modules'))) return join(root, 'node_modules', '.cache', 'unimap');
  // installed as a dependency: <app>/node_modules/unimap has no node_modules of its own
  const parts = root.split(sep);
  const at = parts.lastIndexOf('node_modules');
  return at > 0 ? join(parts.slice(0, at + 1).join(sep) || sep, '.cache', 'unimap') : undefined;
}

/**
 * What decides whether a definition passes its checks, besides its own text: the version and build of the engine
 * (its load, validate, compile and jsonata modules, by size and modification time), the jsonata parser, and the
 * format and unified schemas. Any change makes every record stale. Undefined when the engine's files cannot be
 * listed (a bundled build): then no record is kept.
 */
export function checkerIdentity(unifiedSchemas: readonly unknown[]): string | undefined {
  const engineDir = dirname(__dirname);
  // the format schemas as validate/definition-schema.ts imports them, read as text: that module stays unloaded
  const formatSchemas = ['integration', 'resource'].map((name) => readText(join(engineDir, '..', 'schemas', `${name}.schema.json`)));
  const build: string[] = [];
  const stamp = (path: string): void => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path).sort()) stamp(join(path, name));
    else build.push(`${relative(engineDir, path)}:${stat.size}:${stat.mtimeMs}`);
  };
  try {
    for (const folder of ['load', 'validate', 'compile', 'jsonata']) stamp(join(engineDir, folder));
  } catch {
    return undefined;
  }
  return sha256(JSON.stringify([RECORD_FORMAT, packageVersion(), jsonataVersion(), build, formatSchemas, unifiedSchemas]));
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function packageVersion(): string {
  try {
    return String((JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown }).version);
  } catch {
    return '';
  }
}

function jsonataVersion(): string {
  return String((require('jsonata/package.json') as { version?: unknown }).version);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
