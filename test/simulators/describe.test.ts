import axios from 'axios';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { readSimulatorDescription, simulatorFromDescription, type SimulatorDescription } from './describe';
import { startSimulator, type RunningSimulator } from '../../engine/sandbox/simulator';

// A simulator built from a description (data, no provider code) behaves as the description says.
const DESCRIPTION: SimulatorDescription = {
  unimap: 1,
  resource: 'user-directory/users',
  auth: { type: 'header', header: 'X-Api-Key', value: 'key {api_key}' },
  routes: {
    list: { method: 'GET', path: '/v1/people' },
    get: { method: 'GET', path: '/v1/people/:id' },
    create: { method: 'POST', path: '/v1/people', status: 201 },
    update: { method: 'PUT', path: '/v1/people/:id' },
    delete: { method: 'DELETE', path: '/v1/people/:id', status: 204 },
  },
  envelope: { list: 'people', record: 'person', request: 'person' },
  record: {
    id: { field: 'uid', type: 'string', prefix: 'p_' },
    required: ['mail'],
    defaults: { state: 'active' },
    timestamps: { created: 'created', updated: 'modified' },
    example: { uid: 'p_1', name: 'Ada', mail: 'ada@example.com', state: 'active', created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z' },
  },
  pagination: { type: 'offset', offset_param: 'skip', limit_param: 'take', default_limit: 2 },
  errors: {
    unauthorized: { status: 401, body: { fault: 'bad key' } },
    not_found: { status: 404, body: { fault: 'no person {id}' } },
    invalid: { status: 400, body: { fault: '{field} missing' } },
  },
};

let sim: RunningSimulator;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unimap-sim-'));
  const file = join(dir, 'people.simulator.yaml');
  writeFileSync(file, stringify(DESCRIPTION));
  sim = await startSimulator(simulatorFromDescription('people', readSimulatorDescription(file)), { api_key: 'k-123' });
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const http = axios.create({ validateStatus: () => true, headers: { 'X-Api-Key': 'key k-123' } });
const url = (path: string) => `${sim.url}${path}`;

test('create, get, update, list with offset pages, delete: as described', async () => {
  const created = await http.post(url('/v1/people'), { person: { name: 'Ada', mail: 'ada@example.com', unknown: 'ignored' } });
  expect(created.status).toBe(201);
  expect(created.data).toEqual({ person: { uid: 'p_000000000001', state: 'active', name: 'Ada', mail: 'ada@example.com', created: expect.any(String), modified: expect.any(String) } });
  const id = created.data.person.uid as string;
  expect((await http.get(url(`/v1/people/${id}`))).data.person).toMatchObject({ uid: id, name: 'Ada' });
  const updated = await http.put(url(`/v1/people/${id}`), { person: { name: 'Ada King' } });
  expect(updated.data.person).toMatchObject({ name: 'Ada King', mail: 'ada@example.com' });
  await http.post(url('/v1/people'), { person: { name: 'Bob', mail: 'bob@example.com' } });
  await http.post(url('/v1/people'), { person: { name: 'Cy', mail: 'cy@example.com' } });
  expect((await http.get(url('/v1/people'))).data.people.map((p: { name: string }) => p.name)).toEqual(['Ada King', 'Bob']);
  expect((await http.get(url('/v1/people?skip=2&take=2'))).data.people.map((p: { name: string }) => p.name)).toEqual(['Cy']);
  expect((await http.delete(url(`/v1/people/${id}`))).status).toBe(204);
  expect(await http.get(url(`/v1/people/${id}`))).toMatchObject({ status: 404, data: { fault: `no person ${id}` } });
});

test('the described error answers: wrong credentials, a missing required field', async () => {
  expect(await http.get(url('/v1/people'), { headers: { 'X-Api-Key': 'key nope' } })).toMatchObject({ status: 401, data: { fault: 'bad key' } });
  expect(await http.post(url('/v1/people'), { person: { name: 'No Mail' } })).toMatchObject({ status: 400, data: { fault: 'mail missing' } });
});

test('a description that does not match the format is refused with the place at fault', () => {
  const file = join(dir, 'broken.simulator.yaml');
  writeFileSync(file, stringify({ ...DESCRIPTION, routes: { list: { method: 'FETCH', path: '/x' } } }));
  expect(() => readSimulatorDescription(file)).toThrow(/broken\.simulator\.yaml: \/routes\/list\/method must be equal to one of the allowed values/);
});
