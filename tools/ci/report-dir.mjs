// What the report checks (check-*-report.mjs) share: the directory from the command line,
// a reader that notes an unreadable file as a problem, and the verdict.
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The report directory given as the first argument; exits 2 with `usage` without one. */
export function reportDir(usage) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write(`usage: ${usage}\n`);
    process.exit(2);
  }
  const problems = [];
  const read = (file) => {
    try {
      return readFileSync(path.join(dir, file), 'utf8');
    } catch (error) {
      problems.push(`${file}: cannot read it (${error.code ?? error.message})`);
      return '';
    }
  };
  return { dir, problems, read };
}
