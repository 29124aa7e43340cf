/**
 * What `unimap new` writes is derived from one model: the names, a provider that looks like most REST APIs
 * (camelCase fields, a `data` envelope on lists, page numbers, Bearer auth) and one example record whose fields
 * follow the unified response schema. The author then edits each file to the real provider.
 */
export interface ScaffoldModel {
  name: string;
  label: string;
  category: string;
  resource: string;
  /** The collection path, e.g. /users. */
  path: string;
  /** A record as the made-up provider answers it; the fixtures' answers and the simulator's example. */
  example: Record<string, unknown>;
  /** Fields a create must send (the simulator answers 422 without them). */
  required: string[];
}

/** Unified response field → the remote field and value the made-up provider has for it. */
const EXAMPLE_FIELDS: [unified: string, remote: string, value: string][] = [
  ['first_name', 'firstName', 'Ada'],
  ['last_name', 'lastName', 'Lovelace'],
  ['name', 'displayName', 'Ada Lovelace'],
  ['emails', 'email', 'ada@example.com'],
  ['title', 'jobTitle', 'Analyst'],
  ['status', 'status', 'active'],
  ['created_at', 'createdAt', '2026-01-15T09:30:00Z'],
  ['updated_at', 'updatedAt', '2026-02-01T12:00:00Z'],
];

export const EXAMPLE_ID = '1001';

export function buildScaffoldModel(input: { name: string; label?: string; category: string; resource: string; responseFields: string[] }): ScaffoldModel {
  // numeric, as the simulator's new ids are (its description says id type integer)
  const example: Record<string, unknown> = { id: Number(EXAMPLE_ID) };
  for (const [unified, remote, value] of EXAMPLE_FIELDS) if (input.responseFields.includes(unified)) example[remote] = value;
  return {
    name: input.name,
    label: input.label ?? titleCase(input.name),
    category: input.category,
    resource: input.resource,
    path: `/${input.resource}`,
    example,
    required: 'email' in example ? ['email'] : [],
  };
}

function titleCase(name: string): string {
  return name.split(/[-_]/).filter(Boolean).map((word) => word[0]!.toUpperCase() + word.slice(1)).join(' ');
}
