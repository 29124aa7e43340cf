// The fixture format is read by the core (validate/ checks definitions against it) and by the runner here.
export { isFixtureFileName, loadFixtures, readFixtureFiles } from '../load/fixture-files';
export type { FixtureCase, FixtureExchange, FixtureFile, LoadedFixtures } from '../load/fixture-files';
