import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { stringify } from 'yaml';

import { parseTemplate, processTemplate, toList } from '@ml-run/openshift';

import type { CliDeps } from '../cli-deps';
import { CliError } from '../cli.errors';
import { combineParameters, parseParameterArgs, parseParameterFile } from './parameter-args';

type ProcessOptions = {
  filename: string;
  param: string[];
  paramFile: string[];
  ignoreUnknownParameters?: boolean;
  labels?: string;
  output: 'json' | 'yaml';
};

const collect = (value: string, previous: string[]) => [...previous, value];

/** `ml-run template process`: `oc process --local` for the CLI's users, no cluster needed. */
export function registerTemplateCommands(program: Command, deps: CliDeps): void {
  const template = program.command('template').description('OpenShift templates');
  template
    .command('process')
    .description('process an OpenShift template into the List of objects `oc process` prints')
    .requiredOption('-f, --filename <file>', 'the template (YAML or JSON); - reads stdin')
    .option('-p, --param <NAME=VALUE>', 'set a parameter (repeatable)', collect, [])
    .option('--param-file <file>', 'NAME=VALUE lines; -p wins (repeatable)', collect, [])
    .option('--ignore-unknown-parameters', 'ignore -p names the template does not declare')
    .option('-l, --labels <k=v,...>', 'labels for every object, over the template labels')
    .addOption(
      new Option('-o, --output <format>', 'the output format')
        .choices(['json', 'yaml'])
        .default('json'),
    )
    .action(async (options: ProcessOptions) => {
      const flags = parseParameterArgs(options.param);
      const files = await Promise.all(
        options.paramFile.map(async (file) => ({
          file,
          values: parseParameterFile(await read(file, deps), file),
        })),
      );
      const parameters = combineParameters(flags, files, (line) => deps.status.write(`${line}\n`));
      const source = options.filename === '-' ? 'stdin' : options.filename;
      const processed = processTemplate(parseTemplate(await read(options.filename, deps), source), {
        parameters,
        ignoreUnknownParameters: options.ignoreUnknownParameters,
        labels: options.labels === undefined ? undefined : parseLabels(options.labels),
      });
      deps.out(format(toList(processed), options.output));
    });
}

async function read(file: string, deps: CliDeps): Promise<string> {
  if (file === '-') {
    if (!deps.readStdin) throw new CliError('no stdin to read: pass a file');
    return deps.readStdin();
  }
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const equals = pair.indexOf('=');
    if (equals <= 0)
      throw new CliError(`invalid label ${JSON.stringify(pair)}: write -l key=value,key2=value2`);
    labels[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return labels;
}

// As oc prints: JSON indented by 4; YAML with sorted keys and unindented sequences (Go's
// yaml), as YAML 1.1 so that strings like "yes" or "on" are quoted for oc, which reads 1.1.
function format(list: unknown, output: 'json' | 'yaml'): string {
  if (output === 'json') return JSON.stringify(list, null, 4);
  const options = { sortMapEntries: true, indentSeq: false, lineWidth: 0, version: '1.1' as const };
  return stringify(list, options).trimEnd();
}
