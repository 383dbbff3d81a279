import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';

import { renderSvg } from '@ml-run/charts';
import type { MlrunParameters } from '@ml-run/qnet';

import type { CliDeps } from '../cli-deps';
import { CliError } from '../cli.errors';
import { CHART_KINDS } from './capacity-charts';
import { capacityJson, type ChartWritten } from './capacity-json';
import { capacityOptions, type CapacityOptions } from './capacity-options';
import { asCliError, capacityParameters } from './capacity-parameters';
import { chartSpec } from './capacity-plot';
import { capacityReport, type CapacityReport } from './capacity-report';
import { capacityText } from './capacity-text';

export type SvgRenderer = typeof renderSvg;

/** Solves the queueing model for the parameters, prints the report, writes a chart if asked. */
export async function capacity(
  deps: CliDeps,
  options: CapacityOptions,
  render: SvgRenderer = renderSvg,
): Promise<void> {
  checkPlotOptions(options);
  const report = solve(await capacityParameters(options), options);
  const chart = await writeChart(report, options, render);
  if (options.json) {
    deps.out(JSON.stringify(capacityJson(report, chart), null, 2));
    return;
  }
  for (const line of capacityText(report)) deps.out(line);
  if (chart) {
    deps.out('');
    deps.out(`wrote the ${chart.kind} chart to ${chart.file}`);
  }
}

function solve(parameters: MlrunParameters, options: CapacityOptions): CapacityReport {
  try {
    return capacityReport(parameters, options);
  } catch (error) {
    throw asCliError(error);
  }
}

function checkPlotOptions({ plot, out }: CapacityOptions): void {
  if (plot !== undefined && out === undefined) {
    throw new CliError(`--plot ${plot} needs --out <file.svg>: the file to write the chart to`);
  }
  if (plot === undefined && out !== undefined) {
    throw new CliError(`--out needs --plot ${CHART_KINDS.join('|')}: the chart to write`);
  }
}

async function writeChart(
  report: CapacityReport,
  options: CapacityOptions,
  render: SvgRenderer,
): Promise<ChartWritten | undefined> {
  const { plot: kind, out: file } = options;
  if (kind === undefined || file === undefined) return undefined;
  const spec = chartSpec(kind, {
    parameters: report.parameters,
    analysis: report.analysis,
    targetUtilization: options.targetUtilization,
  });
  const svg = await render(spec);
  await writeFile(file, svg).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(
      `cannot write the chart to ${file} (${error.code ?? error.message}): check --out`,
    );
  });
  return { kind, file };
}

export function registerCapacityCommand(program: Command, deps: CliDeps): void {
  const command = program
    .command('capacity')
    .description(
      'queueing model of the deployment: utilization and waits per station, bottleneck, ' +
        'max rate, recommended servers (docs/architecture.md §7)',
    );
  for (const option of capacityOptions()) command.addOption(option);
  command.action((options: CapacityOptions) => capacity(deps, options));
}
