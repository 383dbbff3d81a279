// The markdown report of a run: self-contained (date, machine, flags), the case table, the
// goals table, the open loop, and where the time goes (--profile). Pure.
import type { GoalResult } from './goals';
import type { ProfileReport } from './profiles';
import type { HotPathReport } from './report-json';
import type { CaseSummary, RoleSummary } from './summary';

const fixed = (value: number, digits: number) =>
  Number.isFinite(value) ? value.toFixed(digits) : '–';

function measuredText(goal: GoalResult): string {
  if (goal.measured === undefined) return '–';
  switch (goal.unit) {
    case 'ratio':
      return `${fixed(goal.measured, 2)}×`;
    case 'share':
      return `${fixed(goal.measured * 100, 1)}%`;
    case 'ms':
      return `${fixed(goal.measured, 2)} ms`;
    case 'µs/req':
      return `${fixed(goal.measured, 0)} µs`;
  }
}

function verdict(goal: GoalResult): string {
  if (goal.met === true) return 'met';
  if (goal.met === false) return '**not met**';
  return goal.measured === undefined ? 'not measured' : '–';
}

const cpuCell = (cpu: RoleSummary[]) =>
  cpu.map((c) => `${c.role} ${fixed(c.usPerRequest, 0)}`).join(' · ');
const busyCell = (cpu: RoleSummary[]) =>
  cpu.map((c) => `${c.role} ${fixed(c.coresBusy, 2)}`).join(' · ');

function caseRow(row: CaseSummary): string {
  if (row.status === 'skipped')
    return `| ${row.path} (\`${row.name}\`) | skipped: ${row.reason ?? ''} | | | | | | |`;
  const failed = row.status === 'failed' ? `**FAILED**: ${row.reason ?? ''}<br>` : '';
  const ratio = row.ratio ? `${fixed(row.ratio.value, 2)}× ${row.ratio.baseline}` : '';
  return `| ${row.path} (\`${row.name}\`) | ${failed}${fixed(row.rps, 0)} | ${ratio} | ${fixed(row.p50Ms, 2)} | ${fixed(row.p99Ms, 2)} | ${row.non2xx} / ${row.errors} | ${cpuCell(row.cpu)} | ${busyCell(row.cpu)} |`;
}

export function renderMarkdown(report: HotPathReport): string {
  const lines = [
    ...header(report),
    ...casesSection(report.result.cases),
    ...goalsSection(report.result.goals),
    ...openLoopSection(report.result.openLoop),
    ...profilesSection(report.result.profiles),
  ];
  return `${lines.join('\n')}\n`;
}

function header({ run, machine, flags, result }: HotPathReport): string[] {
  const quick = flags.quick ? '; **--quick: a smoke run, its numbers judge nothing**' : '';
  const lines = [
    '# Hot-path benchmark',
    '',
    `Run ${run.startedAt} → ${run.finishedAt}, commit \`${run.commit}\`, \`${run.command}\`.`,
    '',
    `Machine: ${machine.cpuModel}, ${machine.cores} logical CPUs, ${machine.memoryGiB} GiB, ${machine.kernel}, Node ${machine.node}, load average ${machine.loadAverage} at start and ${run.loadAverageAtEnd} at the end (above the core count: the machine was shared, read CPU µs/req rather than req/s).`,
    '',
    `Flags: ${flags.rounds} round(s) of ${flags.duration} s per case after ${flags.warmup} s of warm-up, ${flags.connections} connections (closed loop, autocannon), medians over rounds${quick}.`,
    '',
  ];
  const failed = result.cases.filter((c) => c.status === 'failed');
  if (failed.length > 0)
    lines.push(
      `**${failed.length} case(s) FAILED** (not every answer 2xx, or no start): ${failed.map((c) => c.name).join(', ')}. Their throughput is no measurement.`,
      '',
    );
  return lines;
}

function casesSection(cases: CaseSummary[]): string[] {
  return [
    '## Cases',
    '',
    '| path | req/s | ratio to its baseline | p50 ms | p99 ms | non-2xx / errors | CPU µs/req per role | cores busy per side |',
    '| --- | ---: | --- | ---: | ---: | ---: | --- | --- |',
    ...cases.map(caseRow),
    '',
    "CPU µs/req: a role's utime + stime (from /proc) over the measured window ÷ the answers in it. Cores busy: that CPU ÷ the window's wall time; a side near 1 core (or near its worker count) was saturated, the generator near 1 means the load was limited by it.",
    '',
  ];
}

function goalsSection(goals: GoalResult[]): string[] {
  return [
    '## Goals',
    '',
    '| goal | measured | target | verdict | note |',
    '| --- | ---: | --- | --- | --- |',
    ...goals.map(
      (g) => `| ${g.goal} | ${measuredText(g)} | ${g.target} | ${verdict(g)} | ${g.note ?? ''} |`,
    ),
    '',
  ];
}

function openLoopSection(openLoop: HotPathReport['result']['openLoop']): string[] {
  if (!openLoop) return [];
  const r = openLoop.result;
  const measured = r
    ? `${r.counts.completed} answered, p50 ${fixed(r.latency.p50, 2)} ms, p99 ${fixed(r.latency.p99, 2)} ms, generator lateness p99 ${fixed(r.lateness.p99, 2)} ms`
    : '';
  const failed = openLoop.ok
    ? openLoop.note
      ? `; ${openLoop.note}`
      : ''
    : `; **FAILED**: ${openLoop.note ?? ''}`;
  return [
    '## Open loop through the router',
    '',
    `Poisson arrivals at ${fixed(openLoop.rate, 0)} req/s (half the closed loop's router → wrapper rate): ${measured}${failed}.`,
    '',
  ];
}

function profilesSection(profiles: ProfileReport[]): string[] {
  if (profiles.length === 0) return [];
  return [
    '## Where the time goes (--profile)',
    '',
    'Top functions by self time of each profiled process, over its whole life (start-up and warm-up included).',
    '',
    ...profiles.flatMap((p) => [
      `### ${p.caseName} / ${p.role} (${fixed(p.summary.busyMs, 0)} ms busy, ${fixed(p.summary.idleMs, 0)} ms idle)`,
      '',
      '| function | self ms | share |',
      '| --- | ---: | ---: |',
      ...p.summary.top.map(
        (e) => `| \`${e.frame}\` | ${fixed(e.selfMs, 1)} | ${fixed(e.share * 100, 1)}% |`,
      ),
      '',
    ]),
  ];
}
