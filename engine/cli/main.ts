import { Command, CommanderError } from 'commander';
import { isUnimapError } from '../errors';
import { defaultMappingsDir, defaultSchemasDir } from '../package-paths';
import { docsCommand, mapRequestCommand, recordCommand, type RecordOptions, mapResponseCommand, testCommand, validateCommand, type DirOptions, type MapOptions } from './commands';
import { compileCommand } from './compile-command';
import { processIo, type CliIo } from './io';

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

  program.command('validate [dir]').description('validate every definition; file:line:column for each problem')
    .option('--strict', 'treat declared-vs-actual warnings as errors')
    .action((dir: string | undefined, options: { strict?: boolean }) => run(() => validateCommand(dirs(program.opts(), dir), options.strict ?? false, io))());

  const map = program.command('map').description('show what a mapping does, without sending anything');
  const mapOptions = (command: Command) => command
    .requiredOption('--integration <name>', 'integration name, e.g. okta')
    .requiredOption('--resource <category/resource>', 'e.g. user-directory/users')
    .requiredOption('--method <method>', 'list, get, create, update, delete or a custom method')
    .requiredOption('--input <file>', 'JSON file (- for stdin); for map response an .xml file is read as the raw remote body')
    .option('--context <file>', 'JSON account context (secrets may be left out)')
    .option('--params <file>', 'JSON path parameters, e.g. {"id": "00u1"}')
    .option('--query <file>', 'JSON unified query');
  mapOptions(map.command('request').description('print the first remote request for a unified body'))
    .action((options: MapOptions) => run(() => mapRequestCommand(dirs(program.opts()), options, io))());
  mapOptions(map.command('response').description('print the unified record(s) for a remote response body'))
    .action((options: MapOptions) => run(() => mapResponseCommand(dirs(program.opts()), options, io))());

  program.command('test').description('run the conformance fixtures under mappings/*/tests')
    .option('--integration <name>').option('--resource <category/resource>').option('--method <method>')
    .option('--update', 'rewrite expected results of failing success cases after a deliberate mapping change')
    .action((options: { integration?: string; resource?: string; method?: string; update?: boolean }) => run(() => testCommand(dirs(program.opts()), options, io))());

  program.command('record').description('make one real call and append it, credentials scrubbed, to a fixture file')
    .requiredOption('--integration <name>').requiredOption('--resource <category/resource>').requiredOption('--method <method>')
    .requiredOption('--context <file>', 'JSON account context with real credentials (scrubbed from the fixture)')
    .requiredOption('--out <file>', 'fixture file to append to, e.g. mappings/okta/tests/user-directory.users.yaml')
    .requiredOption('--name <text>', 'what the case shows')
    .option('--input <file>', 'JSON unified body').option('--params <file>').option('--query <file>')
    .option('--base-url <url>', 'call this base URL instead of the integration\'s (a sandbox or a local simulator)')
    .action((options: RecordOptions) => run(() => recordCommand(dirs(program.opts()), options, io))());

  program.command('compile <outDir>').description('write every mapping expression as compiled JavaScript (for deployments without runtime code generation)')
    .action((outDir: string) => run(() => compileCommand(dirs(program.opts()).mappings, dirs(program.opts()).schemas, outDir, io))());

  program.command('docs').description('regenerate the reference pages under docs/ from definitions and schemas')
    .option('--out <dir>', 'output folder', 'docs')
    .action((options: { out: string }) => run(() => docsCommand(dirs(program.opts()), options.out, io))());

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
