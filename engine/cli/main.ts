import { Command, CommanderError } from 'commander';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isUnimapError } from '../errors';
import { defaultMappingsDir, defaultSchemasDir } from '../package-paths';
import { collect } from './args';
import type { DirOptions } from './cli-registry';
import { docsCommand, recordCommand, testCommand, validateCommand, type RecordOptions, type TestOptions } from './commands';
import { compileCommand, compileExpressionCommand } from './compile-command';
import { processIo, type CliIo } from './io';
import { mapRequestCommand, mapResponseCommand, type MapOptions, type MapResponseOptions } from './map-commands';
import { newCommand, type NewOptions } from './new-command';
import { addServerCommands } from './server-commands';

/** Exit codes: 0 success, 1 bad input or failing checks, 2 usage errors. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let exitCode = 0;
  const run = (action: () => number | Promise<number>) => async () => {
    exitCode = await action();
  };
  const dirs = (options: { mappings?: string; schemas?: string }, dir?: string): DirOptions => ({
    mappings: dir ?? options.mappings ?? defaultMappingsDir(),
    schemas: options.schemas ?? defaultSchemasDir(),
  });

  const program = new Command('unimap')
    .description('Unified API engine: validate, try and test YAML integration definitions')
    .option('--mappings <dir>', 'folder of integration definitions')
    .option('--schemas <dir>', 'folder of unified and format schemas')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program.command('validate [dir]').description('validate definitions and fixtures; file:line:column for each problem')
    .option('--strict', 'treat declared-vs-actual warnings as errors')
    .option('--integration <name>', 'only this integration (a DIR holding an integration.yaml means the same)')
    .action((dir: string | undefined, options: { strict?: boolean; integration?: string }) => run(() => {
      // `validate mappings/okta` points at one integration: its parent is the mappings folder
      const one = dir !== undefined && existsSync(join(dir, 'integration.yaml'));
      const only = options.integration ?? (one ? basename(dir) : undefined);
      return validateCommand(dirs(program.opts(), one ? dirname(dir) : dir), { strict: options.strict ?? false, ...(only ? { only } : {}) }, io);
    })());

  program.command('new <integration>').description('write a skeleton integration: definition, fixtures and a simulator description')
    .option('--category <category>', 'unified category', 'user-directory')
    .option('--resource <resource>', 'unified resource', 'users')
    .option('--label <label>', 'the provider\'s name as people write it (default: from <integration>)')
    .action((name: string, options: NewOptions) => run(() => newCommand(dirs(program.opts()), name, options, io))());

  const map = program.command('map').description('show what a mapping does, without sending anything');
  const mapOptions = (command: Command) => command
    .requiredOption('--integration <name>', 'integration name, e.g. okta')
    .requiredOption('--resource <category/resource>', 'e.g. user-directory/users')
    .requiredOption('--method <method>', 'list, get, create, update, delete or a custom method')
    .option('--context <file>', 'JSON account context (secrets may be left out)')
    .option('--params <file>', 'JSON path parameters, e.g. {"id": "00u1"}')
    .option('--query <file>', 'JSON unified query');
  mapOptions(map.command('request').description('print the first remote request for a unified call'))
    .option('--input <file>', 'JSON unified body (- for stdin); needed for create and update')
    .action((options: MapOptions) => run(() => mapRequestCommand(dirs(program.opts()), options, io))());
  mapOptions(map.command('response').description('print the unified record(s) for a remote answer, or what the error mapping makes of an error answer'))
    .requiredOption('--input <file>', 'the remote body: JSON (- for stdin), or an .xml file read as text; a page for list; with response_from, the main answer')
    .option('--status <code>', 'the answer\'s HTTP status (default 200); a non-2xx status shows the error mapping\'s result')
    .option('--headers <file>', 'JSON object of the answer\'s headers ($headers)')
    .option('--step <name=file>', 'the body of a before/after step ($steps.<name>.body; the response_from step\'s body is mapped); repeatable', collect)
    .option('--side <name=file>', 'the body of a side-load step ($side.<name>); repeatable', collect)
    .action((options: MapResponseOptions) => run(() => mapResponseCommand(dirs(program.opts()), options, io))());

  program.command('test').description('run the conformance fixtures under mappings/*/tests')
    .option('--integration <name>').option('--resource <category/resource>').option('--method <method>')
    .option('--update', 'rewrite expected results of failing success cases after a deliberate mapping change')
    .action((options: TestOptions) => run(() => testCommand(dirs(program.opts()), options, io))());

  program.command('record').description('make one real call and append it, credentials scrubbed, to a fixture file')
    .requiredOption('--integration <name>').requiredOption('--resource <category/resource>').requiredOption('--method <method>')
    .requiredOption('--context <file>', 'JSON account context with real credentials (scrubbed from the fixture)')
    .requiredOption('--out <file>', 'fixture file to append to, e.g. mappings/okta/tests/user-directory.users.yaml')
    .requiredOption('--name <text>', 'what the case shows')
    .option('--input <file>', 'JSON unified body').option('--params <file>').option('--query <file>')
    .option('--base-url <url>', 'call this base URL instead of the integration\'s (a sandbox or a local simulator)')
    .action((options: RecordOptions) => run(() => recordCommand(dirs(program.opts()), options, io))());

  program.command('compile [outDir]').description('write every mapping expression as compiled JavaScript (for deployments without runtime code generation)')
    .option('--expr <expression>', 'print the JavaScript generated for this one expression instead')
    .action((outDir: string | undefined, options: { expr?: string }) => run(() => (options.expr !== undefined ? compileExpressionCommand(options.expr, io)
      : outDir === undefined ? (io.err('unimap compile: give <outDir>, or --expr <expression>'), 2) : compileCommand(dirs(program.opts()).mappings, dirs(program.opts()).schemas, outDir, io)))());

  program.command('docs').description('regenerate docs/ and the generated parts of README.md from definitions, fixtures and schemas')
    .option('--out <dir>', 'output folder', 'docs')
    .option('--readme <file>', 'README whose generated sections to rewrite (default: README.md when the shipped mappings are used)')
    .action((options: { out: string; readme?: string }) => run(() => {
      const readme = options.readme ?? (program.opts().mappings === undefined ? 'README.md' : undefined);
      return docsCommand(dirs(program.opts()), { out: options.out, ...(readme ? { readme } : {}) }, io);
    })());

  addServerCommands(program, run, () => dirs(program.opts()), io);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (isUnimapError(error)) {
      io.err(`error ${error.code}: ${error.message}`);
      return 1;
    }
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

// `npx tsx engine/cli/main.ts <command>` runs the CLI directly (bin/unimap.js runs the compiled copy)
if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
