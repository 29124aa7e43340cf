'use strict';
/**
 * Jest runs modules in a vm context where `import()` needs --experimental-vm-modules. PGlite's CommonJS build loads
 * Node built-ins (fs, zlib, stream, …) with `import("fs")`; inside jest only, those become `require` calls, which
 * give the same modules. Nothing else in the file is touched, and nothing changes outside jest.
 */
module.exports = {
  process(source) {
    // The module's own `require` is captured first: the WASM loader declares a `var require` of its own.
    const rewritten = source.replace(/\bimport\((["'])((?:node:)?[a-z/_]+)\1\)/g, 'Promise.resolve().then(() => __requireBuiltin($1$2$1))');
    return { code: `var __requireBuiltin = require;${rewritten}` };
  },
  getCacheKey(source) {
    return require('node:crypto').createHash('sha256').update('builtin-import-transform-2').update(source).digest('hex');
  },
};
