import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** A simulator description file: mappings/<integration>/tests/<category>.<resource>.simulator.yaml. */
export interface DescriptionFile {
  integration: string;
  file: string;
}

/**
 * Every simulator description under a mappings folder, in name order, found by listing it: an integration added
 * later is found without a list to keep. Folders starting with _ hold shared settings (_scim), not integrations.
 */
export function findSimulatorDescriptions(mappingsDir: string): DescriptionFile[] {
  return readdirSync(mappingsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_') && existsSync(join(mappingsDir, entry.name, 'tests')))
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => readdirSync(join(mappingsDir, entry.name, 'tests'))
      .filter((name) => name.endsWith('.simulator.yaml'))
      .sort()
      .map((name) => ({ integration: entry.name, file: join(mappingsDir, entry.name, 'tests', name) })));
}
