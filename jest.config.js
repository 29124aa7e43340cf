/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type checking runs once in `npm run typecheck`; jest only transpiles.
  transform: { "^.+\\.ts$": "ts-jest", "/@electric-sql/pglite/dist/.+\\.cjs$": "<rootDir>/test/helpers/builtin-import-transform.js" },
  // PGlite (the server's embedded database) loads Node built-ins with import(), which jest's vm refuses.
  transformIgnorePatterns: ["/node_modules/(?!@electric-sql/pglite/)"],
};
