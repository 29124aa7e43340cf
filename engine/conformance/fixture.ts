import Ajv2020 from 'ajv/dist/2020';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import fixtureSchema from '../../schemas/fixture.schema.json';
import { UnimapError } from '../errors';

export interface FixtureExchange {
  request: { method: string; path: string; query?: Record<string, string | string[]>; headers?: Record<string, string>; body?: unknown; body_partial?: boolean };
  response: { status?: number; headers?: Record<string, string>; body?: unknown };
}

export interface FixtureCase {
  name: string;
  method: string;
  id?: string;
  body?: unknown;
  query?: Record<string, unknown>;
  context?: Record<string, unknown>;
  pages?: number;
  exchanges: FixtureExchange[];
  expect: { result?: unknown; error?: string; message?: string };
}

export interface FixtureFile {
  integration: string;
  file: string;
  resource: string;
  context: Record<string, unknown>;
  cases: FixtureCase[];
  /** The parsed document, kept so --update can rewrite expected results without losing comments. */
  document: Document;
  path: string;
}

const validateFixture = new Ajv2020({ allErrors: true, strict: false }).compile(fixtureSchema);

/** Every mappings/<integration>/tests/*.yaml file, parsed and checked against schemas/fixture.schema.json. */
export function loadFixtures(mappingsDir: string, cwd: string = process.cwd()): FixtureFile[] {
  const files: FixtureFile[] = [];
  for (const integration of readdirSync(mappingsDir).sort()) {
    const dir = join(mappingsDir, integration, 'tests');
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      const path = join(dir, name);
      const file = relative(cwd, path) || path;
      const document = parseDocument(readFileSync(path, 'utf8'));
      if (document.errors.length > 0) throw new UnimapError('UNIMAP_E_LOAD_YAML', `${file}: ${document.errors[0]!.message.split('\n')[0]}`);
      const value = document.toJS() as { resource: string; context?: Record<string, unknown>; cases: FixtureCase[] };
      if (!validateFixture(value)) {
        const first = validateFixture.errors![0]!;
        throw new UnimapError('UNIMAP_E_DEF_SCHEMA', `${file}: fixture ${first.instancePath || '/'} ${first.message ?? 'is invalid'}`);
      }
      files.push({ integration, file, resource: value.resource, context: value.context ?? {}, cases: value.cases, document, path });
    }
  }
  return files;
}
