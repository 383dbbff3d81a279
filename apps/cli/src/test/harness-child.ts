import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { CliError } from '../cli.errors';
import { PREDICT_TIMEOUT_MS, type HarnessRequest, type HarnessResult } from './harness-result';

export type HarnessCommand = {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** The setting that names the command, for "cannot run ...: set MLRUN_PYTHON". */
  setting: string;
  /**
   * Where the child writes its one JSON result: its stdout (python moves the model's own
   * output to stderr), or a file whose path is its last argument (R cannot move stdout).
   */
  resultIn?: 'stdout' | 'file';
};

type RawResult = Omit<HarnessResult, 'logs'>;

/**
 * Runs a harness child (python3 -c, Rscript -e) that reads the request (JSON) on stdin,
 * runs init and predict, and writes one JSON result; what the model printed is its log.
 */
export async function runHarnessChild(
  request: HarnessRequest,
  harness: HarnessCommand,
): Promise<HarnessResult> {
  const dir = harness.resultIn === 'file' ? await mkdtemp(path.join(tmpdir(), 'mlrun-test-')) : '';
  const resultFile = dir && path.join(dir, 'result.json');
  try {
    const run = await runChild(request, harness, resultFile ? [resultFile] : []);
    const text = resultFile ? await readFile(resultFile, 'utf8').catch(() => '') : run.stdout;
    const logs = lines(resultFile ? `${run.stdout}\n${run.stderr}` : run.stderr);
    return { ...(parseResult(text) ?? crashed(harness.command, run)), logs };
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

type ChildRun = {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: string | null;
  killed?: string;
};

function runChild(
  request: HarnessRequest,
  harness: HarnessCommand,
  extraArgs: string[],
): Promise<ChildRun> {
  const child = spawn(harness.command, [...harness.args, ...extraArgs], {
    cwd: request.modelDir,
    env: harness.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  child.stdin.on('error', () => undefined); // a child that died early closed its stdin
  child.stdin.end(JSON.stringify(request));
  const limitMs = request.initTimeoutMs + PREDICT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const why = error.code ?? error.message;
      reject(new CliError(`cannot run ${harness.command} (${why}): set ${harness.setting}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        code,
        signal,
        killed: signal === 'SIGKILL' ? `did not finish within ${limitMs / 1000} s` : undefined,
      });
    });
  });
}

function parseResult(text: string): RawResult | undefined {
  try {
    const value = JSON.parse(text) as RawResult;
    return typeof value.stage === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function crashed(command: string, run: ChildRun): RawResult {
  const exit = run.signal ?? `code ${run.code}`;
  const why = run.killed ?? `${path.basename(command)} exited with ${exit} before answering`;
  return { stage: 'init', error: `Error: ${why}` };
}

function lines(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => line !== '');
}
