/** The CLI from source (`npm run sandbox`): the same as bin/unimap.js without building dist/ first. */
import { main } from '../engine/cli/main';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
