import type { Document, Node as YamlNode } from 'yaml';
import { UnimapError, type SourcePosition } from '../errors';
import type { IntegratedAccount } from './account-store';
import { firstAliasOffset } from '../load/yaml-source';
import { yamlLibrary } from '../load/yaml-library';
import { isPlainObject } from '../own-keys';
import { findJsonSyntaxError } from './json-syntax-error';

/**
 * Aliases resolved per anchor before a file is refused. A "billion laughs" file (aliases of aliases) fails at once
 * instead of expanding in memory; a hundred accounts sharing one `&context` still load.
 */
const MAX_ALIAS_COUNT = 1000;

/**
 * The accounts in an accounts file: a list of accounts, or `accounts:` holding one; JSON when the name ends in
 * .json, YAML otherwise. Every failure is UNIMAP_E_LOAD_ACCOUNTS naming file:line:column and what is wrong. No
 * value from the file is ever quoted — not even the parser's own message, which echoes the offending line — since
 * the line at fault is often a credential.
 */
export function parseAccountsFile(file: string, text: string): IntegratedAccount[] {
  const source = text.replace(/^\uFEFF/, '');
  const parsed = /\.json$/i.test(file) ? parseJson(file, source) : parseYaml(file, source);
  const root = parsed.value;
  const list = Array.isArray(root) ? root : isPlainObject(root) && Object.hasOwn(root, 'accounts') ? root['accounts'] : undefined;
  if (!Array.isArray(list)) {
    throw accountsError(parsed.positionOf([]), 'the accounts file must hold a list of accounts, or "accounts:" with one');
  }
  const listPath = Array.isArray(root) ? [] : ['accounts'];
  const accounts: IntegratedAccount[] = [];
  const seen = new Map<string, number>();
  list.forEach((entry: unknown, index) => {
    const at = (key?: string) => parsed.positionOf([...listPath, index, ...(key === undefined ? [] : [key])]);
    const account = checkEntry(entry, index, at);
    const earlier = seen.get(account.id);
    if (earlier !== undefined) {
      throw accountsError(at('id'), `accounts[${index}] repeats the id of accounts[${earlier}] (line ${parsed.positionOf([...listPath, earlier]).line}); ids must be unique`);
    }
    seen.set(account.id, index);
    accounts.push(account);
  });
  return accounts;
}

/** The parser's error codes in words of our own: its messages can quote the offending text. */
const YAML_PROBLEMS: Partial<Record<string, string>> = {
  BLOCK_AS_IMPLICIT_KEY: 'a value holds ": " where only a plain value may be (quote the value)',
  MULTILINE_IMPLICIT_KEY: 'a key spans several lines (quote it, or check the indentation)',
  MISSING_CHAR: 'a quote or bracket is not closed',
  DUPLICATE_KEY: 'a key is repeated in the same mapping',
  TAB_AS_INDENT: 'a line is indented with a tab (use spaces)',
  BAD_INDENT: 'the indentation is inconsistent',
  UNEXPECTED_TOKEN: 'unexpected text',
  BAD_DQ_ESCAPE: 'a double-quoted string has an invalid escape',
  BAD_ALIAS: 'an alias is malformed',
  BAD_SCALAR_START: 'a plain value starts with a reserved character (quote it)',
};

interface ParsedFile {
  value: unknown;
  /** Where the node at a path is (its nearest existing parent when the path goes further). */
  positionOf(path: ReadonlyArray<string | number>): SourcePosition;
}

function parseYaml(file: string, text: string): ParsedFile {
  const { doc, at, positionOf } = yamlDocument(file, text, true);
  const [error] = doc.errors;
  if (error) throw accountsError(at(error.pos[0]), `not valid YAML: ${YAML_PROBLEMS[error.code] ?? 'a syntax error'} (${error.code})`);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    // The only failure left after a clean parse is the alias bound (resource exhaustion).
    throw accountsError(at(firstAliasOffset(doc)), `too many aliases: alias expansion is limited to ${MAX_ALIAS_COUNT} per anchor`);
  }
  return { value, positionOf };
}

function parseJson(file: string, text: string): ParsedFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const offset = findJsonSyntaxError(text) ?? 0;
    throw accountsError(linePosition(file, text, offset), 'not valid JSON');
  }
  // Valid JSON is YAML too: the YAML parser gives the line of each entry (JSON allows repeated keys; YAML does not).
  return { value, positionOf: yamlDocument(file, text, false).positionOf };
}

interface YamlFile {
  doc: Document;
  /** file:line:column of a character offset. */
  at(offset: number): SourcePosition;
  positionOf: ParsedFile['positionOf'];
}

function yamlDocument(file: string, text: string, uniqueKeys: boolean): YamlFile {
  const { LineCounter, parseDocument } = yamlLibrary();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys });
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const positionOf = (path: ReadonlyArray<string | number>): SourcePosition => {
    let node: unknown = doc.contents;
    let offset = (node as YamlNode | null)?.range?.[0] ?? 0;
    for (const segment of path) {
      node = childOf(node, segment);
      if (!node) break;
      offset = (node as YamlNode).range?.[0] ?? offset;
    }
    return at(offset);
  };
  return { doc, at, positionOf };
}

function childOf(node: unknown, segment: string | number): unknown {
  const { isMap, isSeq } = yamlLibrary();
  if (isSeq(node) && typeof segment === 'number') return node.items[segment];
  if (isMap(node)) return node.items.find((pair) => (pair.key as { value?: unknown } | null)?.value === segment)?.value;
  return undefined;
}

function linePosition(file: string, text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { file, line, column: offset - lineStart + 1 };
}

function checkEntry(entry: unknown, index: number, at: (key?: string) => SourcePosition): IntegratedAccount {
  const name = `accounts[${index}]`;
  if (!isPlainObject(entry)) throw accountsError(at(), `${name} is ${kindOf(entry)}; each account must be an object with id, integration and context`);
  for (const key of ['id', 'integration'] as const) {
    const value = ownValue(entry, key);
    if (typeof value !== 'string' || value.trim() === '') {
      throw accountsError(at(key), `${name} ${value === undefined ? 'has no' : 'has a non-text or empty'} "${key}"; it must be a non-empty string`);
    }
  }
  const context = ownValue(entry, 'context');
  if (context !== undefined && !isPlainObject(context)) throw accountsError(at('context'), `${name} "context" is ${kindOf(context)}; it must be an object`);
  const baseUrl = ownValue(entry, 'base_url');
  if (baseUrl !== undefined && typeof baseUrl !== 'string') throw accountsError(at('base_url'), `${name} "base_url" is ${kindOf(baseUrl)}; it must be a string`);
  const overrides = ownValue(entry, 'overrides');
  if (overrides !== undefined && !isPlainObject(overrides)) throw accountsError(at('overrides'), `${name} "overrides" is ${kindOf(overrides)}; it must be an object`);
  return { ...(entry as unknown as IntegratedAccount), context: (context ?? {}) as Record<string, unknown> };
}

/** What kind of value something is — never the value itself. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function ownValue(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function accountsError(position: SourcePosition, problem: string): UnimapError {
  return new UnimapError('UNIMAP_E_LOAD_ACCOUNTS', `${position.file}:${position.line}:${position.column}: ${problem}`, {
    position,
    details: { file: position.file, line: position.line, column: position.column },
  });
}
