import type { ContractIssue } from '../contract.errors';

/**
 * The python dependency file the platform installs from (`pip install -r`), at the bundle
 * root.
 *
 * @example
 * ```ts
 * await readFile(join(modelDir, REQUIREMENTS_FILE), 'utf8');
 * ```
 */
export const REQUIREMENTS_FILE = 'requirements.txt';

// Options pip takes on a requirement line that choose nothing about where code comes from
// (hash pinning), or only narrow what pip may pick (never a source build).
const ALLOWED_OPTIONS = new Set(['--hash', '--require-hashes', '--pre', '--prefer-binary']);

// A PEP 508 requirement by name only: name, extras, version specifiers, markers. No
// `name @ url`, no bare URL, path, archive or VCS link.
const NAME = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?';
const VERSION = '[A-Za-z0-9.*+!_-]+';
const SPEC = `(?:~=|===|==|!=|<=|>=|<|>)\\s*${VERSION}`;
const REQUIREMENT = new RegExp(
  `^${NAME}\\s*(?:\\[\\s*${NAME}(?:\\s*,\\s*${NAME})*\\s*\\])?\\s*` +
    `(?:${SPEC}(?:\\s*,\\s*${SPEC})*)?\\s*(?:;[^@]*)?$`,
);

// pip installs a requirement named like an archive from that file when it exists.
const ARCHIVE =
  /\.(?:whl|zip|tar|tgz|tbz|txz|tlz|tar\.gz|tar\.bz2|tar\.xz|tar\.lz)\s*(?:$|[;[<>=!~])/i;

const HOW_TO_FIX =
  'list requirements by name and version only (e.g. "numpy==2.1.0"); builds install ' +
  "from the platform's package index, so index, link, path and URL options are not allowed";

type Line = { number: number; text: string };

// pip's own reading: "\" at the end joins the next line; "#" after whitespace starts a comment.
function logicalLines(text: string): Line[] {
  const lines: Line[] = [];
  let pending: Line | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const current: Line = pending ?? { number: index + 1, text: '' };
    if (raw.endsWith('\\')) {
      current.text += raw.slice(0, -1);
      pending = current;
      return;
    }
    current.text += raw;
    pending = undefined;
    lines.push(current);
  });
  if (pending !== undefined) lines.push(pending);
  return lines
    .map((line) => ({ ...line, text: line.text.replace(/(^|\s)#.*$/, '').trim() }))
    .filter((line) => line.text !== '');
}

// The requirement and its options (`--hash=...` may follow a requirement on its line).
function splitOptions(text: string): { requirement: string; options: string[] } {
  const at = text.search(/(^|\s)-/);
  if (at === -1) return { requirement: text, options: [] };
  const options = text
    .slice(at)
    .trim()
    .split(/\s+/)
    .filter((word) => word.startsWith('-'))
    .map((word) => word.split('=')[0] as string);
  return { requirement: text.slice(0, at).trim(), options };
}

function lineProblem(line: Line): string | undefined {
  // pip substitutes ${VAR} from the environment it runs in.
  if (line.text.includes('${')) return 'uses an environment variable (${...})';
  const { requirement, options } = splitOptions(line.text);
  const refused = options.find((option) => !ALLOWED_OPTIONS.has(option));
  if (refused !== undefined) return `uses the option ${refused}`;
  if (requirement !== '' && (!REQUIREMENT.test(requirement) || ARCHIVE.test(requirement))) {
    return 'is not a requirement by name (a URL, path, archive or "name @ url" reference)';
  }
  return undefined;
}

/**
 * Problems of a requirements.txt a build would install from: anything that is not a
 * requirement by name and version (`numpy==2.1.0`, `pandas[excel]>=2; python_version>"3.9"`)
 * or a hash option (`--hash`, `--require-hashes`, `--pre`, `--prefer-binary`). Refused:
 * index and link options (`-i`/`--index-url`, `--extra-index-url`, `--no-index`,
 * `-f`/`--find-links`, `--trusted-host`), includes of other files (`-r`, `-c`), editable
 * installs (`-e`), build options (`--no-binary`, `--config-settings`, ...), direct
 * references (`pkg @ https://…`, bare URLs and paths) and `${VAR}` substitutions. An empty
 * list: the file is fine.
 *
 * @example
 * ```ts
 * requirementsIssues('--extra-index-url https://evil.example/simple\nnumpy==2.1.0\n');
 * // [{ path: 'requirements.txt:1', message: 'requirements.txt line 1 uses the option --extra-index-url; ...' }]
 * ```
 */
export function requirementsIssues(text: string): ContractIssue[] {
  const issues: ContractIssue[] = [];
  for (const line of logicalLines(text)) {
    const problem = lineProblem(line);
    if (problem === undefined) continue;
    issues.push({
      path: `${REQUIREMENTS_FILE}:${line.number}`,
      message: `${REQUIREMENTS_FILE} line ${line.number} ${problem}; ${HOW_TO_FIX}`,
    });
  }
  return issues;
}
