/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Most suites wait on local servers (simulators, PostgreSQL, child processes) more than they compute: one worker
  // per core instead of jest's cores - 1 (measured: 186 s instead of 319 s on 2 cores).
  maxWorkers: '100%',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type checking runs once in `npm run typecheck`; jest only transpiles.
  transform: { "^.+\\.ts$": "ts-jest", "/@electric-sql/pglite/dist/.+\\.cjs$": "<rootDir>/test/helpers/builtin-import-transform.js" },
  // PGlite (the server's embedded database) loads Node built-ins with import(), which jest's vm refuses.
  transformIgnorePatterns: ["/node_modules/(?!@electric-sql/pglite/)"],
};
