import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { load as loadYaml } from 'js-yaml';
import { readFileSync } from 'node:fs';
import simulatorSchema from '../../schemas/simulator.schema.json';
import type { RecordStore } from './record-store';
import type { ProviderSimulator } from './simulator';
import { recordShape } from './described/records';
import { restFromDescription } from './described/rest';
import { scimFromDescription } from './described/scim';
import type { ScimDescription, SimulatorDescription } from './described/types';

// A provider simulator built from a description (schemas/simulator.schema.json) instead of code: the routes of each
// operation, where records sit in bodies, the record's id, required fields and timestamps, the auth rule, page
// parameters, the rate limit and the provider's error bodies. `unimap new` writes one beside the fixtures it scaffolds.
// The format's pieces live in described/: types, records, pagination, rate limit, auth, REST routes, SCIM.
export type { SimulatorDescription, ScimDescription } from './described/types';

// Compiled on first use: the CLI loads this module for every command, and only the sandbox and tests read descriptions.
let validator: ValidateFunction | undefined;

/** Read and check a description file; a problem is thrown with the JSON pointer at fault. */
export function readSimulatorDescription(file: string): SimulatorDescription {
  const value = loadYaml(readFileSync(file, 'utf8'));
  const validate = (validator ??= new Ajv2020({ allErrors: true, strict: false }).compile(simulatorSchema));
  if (!validate(value)) {
    const first = validate.errors![0]!;
    throw new TypeError(`${file}: ${first.instancePath || '/'} ${first.message ?? 'is invalid'}`);
  }
  return value as unknown as SimulatorDescription;
}

/** The simulator a description describes: the generic SCIM one with its quirks, or its REST routes. */
export function simulatorFromDescription(name: string, description: SimulatorDescription): ProviderSimulator {
  if (description.scim) return scimFromDescription(name, description as SimulatorDescription & { scim: ScimDescription });
  return restFromDescription(name, description);
}

/**
 * Put `count` records shaped like the description's example into a simulator's store, with ids made as a create
 * makes them: for providers whose API cannot create (WordPress.com site users join by invitation).
 */
export function seedRecords(description: SimulatorDescription, store: RecordStore, count: number): Record<string, unknown>[] {
  const shape = recordShape(description);
  const from = description.record.id?.from;
  return Array.from({ length: count }, (_, index) => {
    const id = from ? `${index + 1}-${String(description.record.example[from] ?? 'seed')}` : shape.newId(store);
    const { [shape.idField]: _exampleId, ...fields } = structuredClone(description.record.example);
    return store.insert(id, shape.build(id, { fields: from ? { ...fields, [from]: id } : fields }));
  });
}
