// Checks what `npm run experiments -- --quick --out <dir>` wrote: the report exists and is
// not empty, every figure it links is a well-formed SVG with marks in it, the raw results
// parse. It checks that the pipeline ran, never the accuracy (numbers from a loaded CI
// machine are noise). Usage: node tools/ci/check-experiments-report.mjs <dir>
import { statSync } from 'node:fs';
import path from 'node:path';

import { reportDir } from './report-dir.mjs';

const { dir, problems, read } = reportDir('node tools/ci/check-experiments-report.mjs <dir>');

const report = read('experiments.md');
if (report && statSync(path.join(dir, 'experiments.md')).size < 500)
  problems.push('experiments.md: shorter than 500 bytes');
for (const heading of ['## Machine', '## Model validation', '## Fig. 5', '## Fig. 6'])
  if (report && !report.includes(heading)) problems.push(`experiments.md: no "${heading}"`);

const figures = [...report.matchAll(/!\[[^\]]*\]\(([^)]+\.svg)\)/g)].map((m) => m[1]);
if (report && figures.length < 3)
  problems.push(`experiments.md links ${figures.length} SVG figures, not 3`);
for (const figure of figures) {
  const svg = read(figure);
  const error = svg && svgProblem(svg);
  if (error) problems.push(`${figure}: ${error}`);
}

const data = [...report.matchAll(/\]\(([^)]+\.json)\)/g)].map((m) => m[1]);
if (report && !data.some((file) => file.endsWith('results.json')))
  problems.push('experiments.md links no raw results (results.json)');
for (const file of data) {
  try {
    JSON.parse(read(file));
  } catch (error) {
    problems.push(`${file}: not JSON (${error.message})`);
  }
}

if (problems.length > 0) {
  process.stderr.write(
    `the experiments report in ${dir} is incomplete:\n- ${problems.join('\n- ')}\n`,
  );
  process.exit(1);
}
process.stdout.write(
  `experiments report in ${dir}: experiments.md, ${figures.length} SVG figures, ${data.join(', ')}\n`,
);

/** Why the text is not a well-formed SVG document with something drawn, or undefined. */
function svgProblem(text) {
  const body = text
    .replace(/<\?xml[^>]*\?>/, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .trim();
  if (!body.startsWith('<svg')) return 'does not start with <svg';
  const open = [];
  for (const [tag, slash, name, selfClosing] of body.matchAll(
    /<(\/?)([A-Za-z][\w:.-]*)[^>]*?(\/?)>/g,
  )) {
    if (slash) {
      if (open.pop() !== name) return `</${name}> closes no open <${name}>`;
    } else if (!selfClosing && !tag.endsWith('/>')) open.push(name);
  }
  if (open.length > 0) return `<${open.join('>, <')}> never closed`;
  if (!/<path\b/.test(body)) return 'draws nothing (no <path>)';
  return undefined;
}
