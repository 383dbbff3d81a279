import { CliError } from '../cli.errors';

// How `oc process` reads parameter values (oc pkg/helpers/newapp/app/env.go, ported in
// behaviour): -p NAME=VALUE, repeatable, a name given twice refused; --param-file files of
// NAME=VALUE lines, whose values never override -p (a warning says so).

// Kubernetes' IsEnvVarName, which oc checks parameter names against.
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** The -p values: a map, in the order given. */
export function parseParameterArgs(args: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  const duplicated = new Set<string>();
  for (const arg of args) {
    const equals = arg.indexOf('=');
    const name = equals < 0 ? arg : arg.slice(0, equals);
    if (equals < 0 || !ENV_VAR_NAME.test(name))
      throw new CliError(
        `invalid parameter assignment in ${JSON.stringify(arg)}: write -p NAME=VALUE (NAME of letters, digits, _ . -)`,
      );
    if (values.has(name)) duplicated.add(name);
    else values.set(name, arg.slice(equals + 1));
  }
  if (duplicated.size > 0)
    throw new CliError(
      `The following parameters were provided more than once: ${[...duplicated].sort().join(', ')}`,
    );
  return values;
}

/**
 * The values of a --param-file: `NAME=VALUE` (or `NAME: VALUE`) lines, `export ` allowed,
 * blank lines and `#` comments skipped, values trimmed and unquoted ("..." or '...', with
 * \n and \r escapes). A later line for the same name wins.
 */
export function parseParameterFile(text: string, file: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const content = withoutComment(line);
    const equals = content.indexOf('=');
    const colon = content.indexOf(':');
    const at = colon !== -1 && (equals === -1 || colon < equals) ? colon : equals;
    if (at < 0)
      throw new CliError(
        `${file}: cannot separate name from value in ${JSON.stringify(line)}: write NAME=VALUE`,
      );
    const name = content
      .slice(0, at)
      .replace(/^\s*export\b/, '')
      .trim();
    if (!ENV_VAR_NAME.test(name))
      throw new CliError(`${file}: invalid parameter assignment in ${JSON.stringify(line)}`);
    values.set(name, unquote(content.slice(at + 1).trim()));
  }
  return values;
}

/** The line without a `#` comment that stands outside quotes. */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}

function unquote(value: string): string {
  const first = value[0];
  if (value.length < 2 || (first !== '"' && first !== "'") || value.at(-1) !== first) return value;
  return value
    .slice(1, -1)
    .replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

/** -p values over the files' (in order: a name in an earlier file wins), warnings for the losers. */
export function combineParameters(
  flags: Map<string, string>,
  files: { file: string; values: Map<string, string> }[],
  warn: (line: string) => void,
): Record<string, string> {
  const combined = new Map(flags);
  for (const { file, values } of files)
    for (const [name, value] of values) {
      if (combined.has(name))
        warn(
          `warning: Template parameter "${name}" already defined, ignoring value from file "${file}"`,
        );
      else combined.set(name, value);
    }
  return Object.fromEntries(combined);
}
