// Checks what `npm run bench -- --quick --out <dir>` wrote: hot-path.json parses, every
// case it ran answered only 2xx (a skipped case must say why), the goals were computed,
// and hot-path.md holds the case and goal tables. It checks that the harness ran, never
// the numbers (a loaded CI box). Usage: node tools/ci/check-hot-path-report.mjs <dir>
import { reportDir } from './report-dir.mjs';

const { dir, problems, read } = reportDir('node tools/ci/check-hot-path-report.mjs <dir>');

let report;
try {
  report = JSON.parse(read('hot-path.json') || 'null');
} catch (error) {
  problems.push(`hot-path.json: not JSON (${error.message})`);
}
const cases = report?.result?.cases ?? [];
if (report && cases.length === 0) problems.push('hot-path.json: no cases');
for (const c of cases) {
  if (c.status === 'skipped') {
    if (!c.reason) problems.push(`${c.name}: skipped without a reason`);
    continue;
  }
  if (c.status !== 'ok') problems.push(`${c.name}: ${c.status} (${c.reason ?? 'no reason'})`);
  else if (!(c.responses > 0)) problems.push(`${c.name}: no answers`);
  const notOk = Object.entries(c.byStatus ?? {}).filter(([status]) => !status.startsWith('2'));
  if (notOk.length > 0 || c.errors > 0)
    problems.push(
      `${c.name}: answers not 2xx ${JSON.stringify(Object.fromEntries(notOk))}, ${c.errors} errors`,
    );
  if (!c.cpu?.some((role) => role.role === 'generator'))
    problems.push(`${c.name}: no CPU accounting`);
}
if (report && !(report.result?.goals?.length > 0)) problems.push('hot-path.json: no goals');
const openLoop = report?.result?.openLoop;
if (openLoop && !openLoop.ok) problems.push(`open loop through the router: ${openLoop.note}`);

const markdown = read('hot-path.md');
for (const heading of ['# Hot-path benchmark', '## Cases', '## Goals'])
  if (markdown && !markdown.includes(heading)) problems.push(`hot-path.md: no "${heading}"`);

if (problems.length > 0) {
  process.stderr.write(
    `the hot-path report in ${dir} is incomplete:\n- ${problems.join('\n- ')}\n`,
  );
  process.exit(1);
}
const skipped = cases.filter((c) => c.status === 'skipped').map((c) => c.name);
process.stdout.write(
  `hot-path report in ${dir}: ${cases.length - skipped.length} cases answered 2xx` +
    (skipped.length ? `, skipped: ${skipped.join(', ')}` : '') +
    '\n',
);
