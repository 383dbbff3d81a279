// What the R on this machine is: its version, where it lives and which packages it has.
// Asked once per Rscript, so the runtime can refuse a model before any worker starts and
// the sandbox can show the worker R's own dirs.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type RInstallation = {
  /** R.version, e.g. "4.2.2". */
  version: string;
  /** R.home(), e.g. /usr/lib/R. */
  home: string;
  /** Where R reads Renviron and Rprofile.site (Debian: /etc/R, linked from R_HOME/etc). */
  etc: string;
  /** .libPaths(), in search order. */
  libraries: string[];
  /** Every installed package's R name, e.g. "jsonlite", "data.table". */
  packages: string[];
};

// Plain lines, no R package needed: the probe must work where jsonlite is missing too.
const PROBE = [
  'cat("version", paste(R.version$major, R.version$minor, sep = "."), "\\n")',
  'cat("home", R.home(), "\\n")',
  'cat("etc", dirname(normalizePath(file.path(R.home("etc"), "Renviron"), mustWork = FALSE)), "\\n")',
  'for (lib in .libPaths()) cat("library", lib, "\\n")',
  'for (lib in .libPaths()) for (p in basename(dirname(Sys.glob(file.path(lib, "*", "DESCRIPTION"))))) cat("package", p, "\\n")',
].join('; ');

const probed = new Map<string, Promise<RInstallation | undefined>>();

/** Rscript's answer, once per process; undefined when Rscript cannot be run. */
export function probeR(
  rscript: string,
  env: Record<string, string>,
): Promise<RInstallation | undefined> {
  let answer = probed.get(rscript);
  if (!answer) {
    answer = askR(rscript, env);
    probed.set(rscript, answer);
  }
  return answer;
}

async function askR(
  rscript: string,
  env: Record<string, string>,
): Promise<RInstallation | undefined> {
  try {
    const { stdout } = await run(rscript, ['--vanilla', '-e', PROBE], { env, timeout: 30_000 });
    return parseProbe(stdout);
  } catch {
    return undefined;
  }
}

/** The probe's lines ("version 4.2.2", "package jsonlite", ...) as an RInstallation. */
export function parseProbe(stdout: string): RInstallation | undefined {
  const found: RInstallation = { version: '', home: '', etc: '', libraries: [], packages: [] };
  for (const line of stdout.split('\n')) {
    const match = /^(\w+) (.*?)\s*$/.exec(line);
    if (!match) continue;
    const [, key, value] = match;
    if (key === 'version' || key === 'home' || key === 'etc') found[key] = value;
    else if (key === 'library') found.libraries.push(value);
    else if (key === 'package') found.packages.push(value);
  }
  return found.version === '' ? undefined : found;
}
