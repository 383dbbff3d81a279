import path from 'node:path';
import type { Command } from 'commander';

import { readModelDir, type ModelDirInfo } from '@ml-run/model-contract';

import type { CliDeps } from '../cli-deps';
import { CliError } from '../cli.errors';
import type { HarnessResult } from './harness-result';
import { runNodeModel } from './node-harness';
import { runPythonModel } from './python-harness';
import { runRModel } from './r-harness';

/** What `ml-run test` concluded, and the lines that explain it. */
export type SelfTestVerdict = { passed: boolean; lines: string[] };

/** Runs a model folder's init and selfTest locally, as a replica would before READY. */
export async function selfTestModel(
  dir: string,
  interpreters: { python: string; rscript?: string },
): Promise<SelfTestVerdict> {
  const info = await readModelDir(dir);
  const { manifest } = info;
  const request = {
    modelDir: path.resolve(dir),
    entry: manifest.entry,
    coefficientsDir: info.coefficientsDir,
    config: manifest.env,
    input: manifest.selfTest?.input,
    initTimeoutMs: manifest.initTimeoutSeconds * 1000,
  };
  const harnesses = {
    python: () => runPythonModel(request, interpreters.python),
    node: () => runNodeModel(request),
    r: () => runRModel(request, interpreters.rscript ?? 'Rscript'),
  };
  const result = await harnesses[manifest.runtime]();
  const header = `testing ${manifest.name} ${info.version} (${manifest.runtime}, ${manifest.entry})`;
  const logs = result.logs.map((line) => `  | ${line}`);
  return judge(info, result, [header, ...logs]);
}

function judge(info: ModelDirInfo, result: HarnessResult, lines: string[]): SelfTestVerdict {
  const selfTest = info.manifest.selfTest;
  if (result.stage !== 'done') {
    const verb = result.stage === 'load' ? 'loading the entry' : result.stage;
    const trace = (result.trace ?? '').split('\n').filter(Boolean);
    const shown = trace.map((line) => `    ${line}`);
    return { passed: false, lines: [...lines, `FAIL ${verb} raised ${result.error}`, ...shown] };
  }
  if (selfTest === undefined) {
    return {
      passed: true,
      lines: [...lines, 'PASS init ran (no selfTest in ml-run.yaml to predict)'],
    };
  }
  const call = `predict(${JSON.stringify(selfTest.input)}) returned ${JSON.stringify(result.output)}`;
  if (selfTest.expectOutput === undefined) {
    return {
      passed: true,
      lines: [...lines, `PASS ${call} (no selfTest.expectOutput to compare)`],
    };
  }
  if (result.output === selfTest.expectOutput) {
    return { passed: true, lines: [...lines, `PASS ${call}, as selfTest.expectOutput says`] };
  }
  const expected = `selfTest.expectOutput is ${JSON.stringify(selfTest.expectOutput)}`;
  return { passed: false, lines: [...lines, `FAIL ${call}, but ${expected}`] };
}

export function registerTestCommand(program: Command, deps: CliDeps): void {
  program
    .command('test <dir>')
    .description("run a model's init and selfTest locally, without the platform")
    .action(async (dir: string) => {
      const verdict = await selfTestModel(dir, deps);
      for (const line of verdict.lines) deps.out(line);
      if (!verdict.passed) throw new CliError('self-test failed');
    });
}
