import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, FileAccountStore, isUnimapError, MemoryAccountStore, type Transport, type UnimapError } from '../../engine';

/**
 * A broken accounts file is a typed UNIMAP_E_LOAD_ACCOUNTS naming file:line:column — never a parser message that
 * quotes the broken line, which is usually a credential line. Alias expansion is bounded. Lookups read own ids only.
 */

const SECRET = 'sk-live-9f8e7d6c5b4a-Q';
let dir: string;
let counter = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'unimap-accounts-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(content: string, ext = 'yaml'): string {
  const path = join(dir, `accounts-${++counter}.${ext}`);
  writeFileSync(path, content);
  return path;
}

async function loadError(path: string): Promise<UnimapError> {
  const error = await new FileAccountStore(path).get('acme').then(() => undefined, (e: unknown) => e);
  if (!isUnimapError(error)) throw new Error(`expected a UnimapError, got ${String(error)}`);
  return error;
}

const KEY_NAMES = new Set(['integration', 'context', 'api_token', 'subdomain', 'base_url', 'accounts']);

/** Every value written in a file: scalars after `:` or `-`, and quoted strings. */
function valuesIn(content: string): string[] {
  const values = new Set<string>();
  for (const match of content.matchAll(/"((?:[^"\\]|\\.)+)"|'([^']+)'|(?::|-)\s+([^\s"'{}[\],:&*][^\s,{}[\]]*)/g)) {
    const value = match[1] ?? match[2] ?? match[3];
    // Short words (okta, id…) and key names also appear in the message's own wording; the secrets and ids are long.
    if (value && value.length >= 6 && !KEY_NAMES.has(value)) values.add(value);
  }
  return [...values];
}

function shown(error: UnimapError): string {
  return [error.message, error.stack ?? '', JSON.stringify(error.toJSON()), JSON.stringify(error.details ?? null), String(error.cause ?? '')].join('\n');
}

const VALID_ENTRY = `- id: acme-okta-primary\n  integration: okta\n  context:\n    subdomain: acmeinc\n    api_token: ${SECRET}\n`;

interface BadFile {
  name: string;
  content: string;
  ext?: string;
  line: number;
}

const BAD_FILES: BadFile[] = [
  { name: 'a nested mapping on the secret line', content: `- id: acme-okta-primary\n  integration: okta\n  context:\n    subdomain: acmeinc\n    api_token: ${SECRET}: x\n`, line: 5 },
  { name: 'an unterminated quote holding the secret', content: `- id: acme-okta-primary\n  integration: okta\n  context:\n    api_token: "${SECRET}\n`, line: 5 }, // where the parser finds the quote unclosed: the end
  { name: 'a tab-indented secret', content: `- id: acme-okta-primary\n  integration: okta\n  context:\n\tapi_token: ${SECRET}\n`, line: 4 },
  { name: 'a repeated key on the secret line', content: `- id: acme-okta-primary\n  integration: okta\n  context:\n    api_token: ${SECRET}\n    api_token: ${SECRET}-2\n`, line: 5 },
  { name: 'a null entry', content: `${VALID_ENTRY}- null\n`, line: 6 },
  { name: 'an empty entry', content: `${VALID_ENTRY}-\n`, line: 6 },
  { name: 'a number entry', content: `${VALID_ENTRY}- 4242424242\n`, line: 6 },
  { name: 'a string entry (a pasted token)', content: `${VALID_ENTRY}- ${SECRET}-pasted\n`, line: 6 },
  { name: 'a list entry', content: `${VALID_ENTRY}- [${SECRET}, other-value-x]\n`, line: 6 },
  { name: 'an entry without id', content: `${VALID_ENTRY}- integration: okta\n  context:\n    api_token: ${SECRET}-other\n`, line: 6 },
  { name: 'a numeric id', content: `- id: 123456789\n  integration: okta\n  context:\n    api_token: ${SECRET}\n`, line: 1 },
  { name: 'an entry without integration', content: `- id: acme-okta-primary\n  context:\n    api_token: ${SECRET}\n`, line: 1 },
  { name: 'a context that is a string', content: `- id: acme-okta-primary\n  integration: okta\n  context: ${SECRET}\n`, line: 3 },
  { name: 'a context that is a list', content: `- id: acme-okta-primary\n  integration: okta\n  context:\n    - ${SECRET}\n`, line: 4 },
  { name: 'a base_url that is not a string', content: `- id: acme-okta-primary\n  integration: okta\n  base_url: [http://proxy-${SECRET}.example]\n  context: {}\n`, line: 3 },
  { name: 'a duplicate id', content: `${VALID_ENTRY}- id: acme-okta-primary\n  integration: okta\n  context:\n    api_token: ${SECRET}-two\n`, line: 6 },
  { name: 'a top level that is no list', content: `accounts: ${SECRET}\n`, line: 1 },
  { name: 'a top-level scalar', content: `${SECRET}\n`, line: 1 },
  { name: 'an empty file', content: '', line: 1 },
  {
    name: 'a JSON syntax error after the secret', ext: 'json', line: 5,
    content: `[\n  {\n    "id": "acme-okta-primary",\n    "integration": "okta",\n    "context": { "api_token": "${SECRET}" "subdomain": "acmeinc" }\n  }\n]\n`,
  },
  { name: 'a JSON value left out', ext: 'json', line: 3, content: `[\n  { "id": "acme-okta-primary", "integration": "okta",\n    "context": { "api_token": } }\n]\n` },
  { name: 'a JSON trailing comma', ext: 'json', line: 4, content: `[\n  { "id": "acme-okta-primary", "integration": "okta",\n    "context": { "api_token": "${SECRET}" } },\n]\n` },
  { name: 'a JSON single-quoted secret', ext: 'json', line: 2, content: `[\n  { "id": "acme-okta-primary", "context": { "api_token": '${SECRET}' } }\n]\n` },
  { name: 'JSON truncated inside the secret', ext: 'json', line: 2, content: `[\n  { "id": "acme-okta-primary", "context": { "api_token": "${SECRET}` },
  { name: 'a JSON null entry', ext: 'json', line: 3, content: `[\n  { "id": "acme-okta-primary", "integration": "okta", "context": { "api_token": "${SECRET}" } },\n  null\n]\n` },
];

describe.each(BAD_FILES)('$name', ({ content, ext, line }) => {
  test('is UNIMAP_E_LOAD_ACCOUNTS naming file and line, quoting no value', async () => {
    const path = file(content, ext);
    const error = await loadError(path);
    expect(error.code).toBe('UNIMAP_E_LOAD_ACCOUNTS');
    expect(error.message.startsWith(`${path}:${line}:`)).toBe(true);
    expect(error.position).toMatchObject({ file: path, line });
    const text = shown(error);
    expect(text).not.toContain(SECRET);
    for (const value of valuesIn(content)) expect({ value, quoted: text.includes(value) }).toEqual({ value, quoted: false });
  });
});

test('an alias bomb fails fast with the typed error, before expanding', async () => {
  let content = 'lol: &l0 ["lol-lol-lol", "lol-lol-lol", "lol-lol-lol", "lol-lol-lol", "lol-lol-lol", "lol-lol-lol", "lol-lol-lol", "lol-lol-lol", "lol-lol-lol"]\n';
  for (let i = 1; i <= 12; i++) content += `l${i}: &l${i} [${Array.from({ length: 9 }, () => `*l${i - 1}`).join(', ')}]\n`;
  content += `accounts:\n  - id: acme\n    integration: okta\n    context: { api_token: ${SECRET}, bomb: *l12 }\n`;
  const path = file(content);
  const started = Date.now();
  const error = await loadError(path);
  expect(Date.now() - started).toBeLessThan(5000); // no hang: 9^12 expanded items would never finish
  expect(error.code).toBe('UNIMAP_E_LOAD_ACCOUNTS');
  expect(error.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: too many aliases`));
  expect(shown(error)).not.toContain(SECRET);
  expect(shown(error)).not.toContain('lol-lol-lol');
});

test('aliases within the bound still load (shared context)', async () => {
  const path = file(`shared: &ctx { subdomain: acmeinc, api_token: ${SECRET} }\naccounts:\n  - { id: acme, integration: okta, context: *ctx }\n  - { id: beta, integration: okta, context: *ctx }\n`);
  const store = new FileAccountStore(path);
  expect(await store.get('acme')).toEqual({ id: 'acme', integration: 'okta', context: { subdomain: 'acmeinc', api_token: SECRET } });
  expect((await store.get('beta'))?.context).toEqual({ subdomain: 'acmeinc', api_token: SECRET });
});

test('a broken file fails a call before anything is sent, and a fixed file is picked up', async () => {
  const path = file(`- id: acme\n  integration: okta\n  context:\n    api_token: ${SECRET}: x\n`);
  const sent: unknown[] = [];
  const transport: Transport = {
    send: async (request) => {
      sent.push(request);
      return { status: 200, headers: { 'content-type': 'application/json' }, body: '[]' };
    },
    stream: () => Promise.reject(new Error('not used')),
  };
  const engine = createEngine({ accounts: new FileAccountStore(path), transport });
  const error = await engine.list('user-directory', 'users', { integratedAccountId: 'acme' }).then(() => undefined, (e: unknown) => e);
  expect(error).toMatchObject({ code: 'UNIMAP_E_LOAD_ACCOUNTS' });
  expect(shown(error as UnimapError)).not.toContain(SECRET);
  expect(sent).toHaveLength(0);

  writeFileSync(path, `- id: acme\n  integration: okta\n  context:\n    subdomain: acmeinc\n    api_token: ${SECRET}\n`);
  const later = new Date(Date.now() + 5000);
  utimesSync(path, later, later);
  expect((await engine.list('user-directory', 'users', { integratedAccountId: 'acme' })).result).toEqual([]);
  expect(sent).toHaveLength(1);
});

test('a missing file or a folder is a typed error naming the path', async () => {
  const missing = join(dir, 'no-such-accounts.yaml');
  const folder = join(dir, 'a-folder.yaml');
  mkdirSync(folder);
  for (const path of [missing, folder]) {
    const error = await loadError(path);
    expect(error.code).toBe('UNIMAP_E_LOAD_FILE');
    expect(error.message).toContain(path);
  }
});

describe('account lookups read own ids only', () => {
  const ids = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

  test.each(ids)('%s is not found in a memory store, a file store, or through the engine', async (id) => {
    const memory = new MemoryAccountStore([{ id: 'acme', integration: 'okta', context: { subdomain: 'acmeinc', api_token: SECRET } }]);
    const fromFile = new FileAccountStore(file(VALID_ENTRY));
    expect(await memory.get(id)).toBeUndefined();
    expect(await fromFile.get(id)).toBeUndefined();
    const engine = createEngine({ accounts: memory, transport: { send: () => Promise.reject(new Error('nothing may be sent')), stream: () => Promise.reject(new Error('nothing may be sent')) } });
    const error = await engine.list('user-directory', 'users', { integratedAccountId: id }).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNIMAP_E_REQ_ACCOUNT_NOT_FOUND' });
  });

  test('an account whose id is "__proto__" is found as itself, and does not touch other lookups', async () => {
    const store = new FileAccountStore(file(`- id: __proto__\n  integration: okta\n  context: { subdomain: acmeinc, api_token: ${SECRET} }\n`));
    expect(await store.get('__proto__')).toMatchObject({ id: '__proto__', integration: 'okta' });
    expect(await store.get('constructor')).toBeUndefined();
  });

  test('a context lacking a key the integration declares never reads an inherited value', async () => {
    const engine = createEngine({ accounts: [{ id: 'acme', integration: 'okta', context: Object.create({ api_token: 'inherited', subdomain: 'inherited' }) as Record<string, unknown> }] });
    const error = await engine.planRequest({ category: 'user-directory', resource: 'users', method: 'list', integratedAccountId: 'acme' }).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNIMAP_E_AUTH_MISSING_CONTEXT' });
  });
});
