// Writes a run's outputs: the figures as SVG, the raw results as JSON, the markdown.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { renderSvg } from '@ml-run/charts';
import { DEFAULT_MLRUN_PARAMETERS, loginRateVsTokenLifetime } from '@ml-run/qnet';

import { fig5Spec, fig6Spec, loginRateSpec, logSpace, offeredRate, type ModelLine } from './charts';
import type { Fig5Result } from './fig5';
import type { Fig6Result } from './fig6';
import { validatorRates } from './fig6-points';
import { renderReport } from './report-markdown';
import type { ExperimentsResults } from './results';
import { resultsToJson } from './results-json';
import { durationSeconds } from './stack';

/** Where a run's files go: `<dir>/experiments.md` and `<dir>/experiments/…`. */
export const FIGURES = {
  fig5: 'experiments/fig5-predict-rate-vs-stale.svg',
  fig6: 'experiments/fig6-validator-rate-vs-l1-lifetime.svg',
  loginRate: 'experiments/login-rate-vs-token-lifetime.svg',
} as const;
export const RAW_RESULTS = 'experiments/results.json';
export const REPORT = 'experiments.md';

/** The model's steady-state validator rate per K over a log range of L1 lifetimes. */
export function fig6ModelLines(result: Fig6Result): ModelLine[] {
  const ttls = result.points.map((p) => p.l1TtlSeconds);
  const range = logSpace(Math.min(...ttls), Math.max(...ttls), 40);
  const tokenTtl = durationSeconds(result.tokenTtl);
  return [...new Set(result.points.map((p) => p.wrappers))].map((wrappers) => {
    // At the rate the K's runs were offered, which the Poisson draw moves off the setting.
    const rate = offeredRate({
      ...result,
      points: result.points.filter((p) => p.wrappers === wrappers),
    });
    return {
      series: `K = ${wrappers}`,
      points: range.map((d) => ({
        x: d,
        y: validatorRates(d, tokenTtl, { rate, clients: result.clients, wrappers }, 1).steady,
      })),
    };
  });
}

/** The login-rate chart's data: the model λ·p_stale(T) and Fig. 5 (a)'s measured logins. */
export function loginRateChart(result: Fig5Result) {
  const expiry = result.points.filter((p) => p.mode === 'expiry');
  const ttls = expiry.map((p) => durationSeconds(p.tokenTtl));
  const range = logSpace(Math.min(0.1, ...ttls), Math.max(60, ...ttls), 40);
  const rate = offeredRate({ rate: result.rate, points: expiry });
  const model = loginRateVsTokenLifetime(
    { ...DEFAULT_MLRUN_PARAMETERS, rate, clients: result.clients },
    range,
  );
  return {
    clients: result.clients,
    rate,
    line: { series: 'model λC/(C + λT)', points: [...model.points] },
    points: expiry.map((p, i) => ({
      series: 'measured (Fig. 5 a)',
      x: ttls[i] ?? NaN,
      y: p.loginRate.mean,
      yLow: p.loginRate.low,
      yHigh: p.loginRate.high,
    })),
  };
}

export async function writeReport(dir: string, results: ExperimentsResults): Promise<string[]> {
  await mkdir(path.join(dir, 'experiments'), { recursive: true });
  const svgs: [string, Parameters<typeof renderSvg>[0]][] = [
    [FIGURES.fig5, fig5Spec(results.fig5)],
    [FIGURES.fig6, fig6Spec(results.fig6, fig6ModelLines(results.fig6))],
    [FIGURES.loginRate, loginRateSpec(loginRateChart(results.fig5))],
  ];
  const written: string[] = [];
  for (const [file, spec] of svgs) {
    await writeFile(path.join(dir, file), await renderSvg(spec));
    written.push(path.join(dir, file));
  }
  await writeFile(path.join(dir, RAW_RESULTS), resultsToJson(results));
  await writeFile(path.join(dir, REPORT), renderReport(results));
  return [...written, path.join(dir, RAW_RESULTS), path.join(dir, REPORT)];
}
