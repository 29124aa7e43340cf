#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (the `prepare` script).
require('../dist/engine/cli/main.js')
  .main(process.argv.slice(2))
  .then((code) => { process.exitCode = code; });
