import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

import { modelProcessEnv } from '@ml-run/config';

import type { CommandRunner, CommandSpec } from './command-runner.port';

/** Runs build commands as child processes, stdout and stderr merged into lines. */
export class SpawnCommandRunner implements CommandRunner {
  run(spec: CommandSpec): Promise<number> {
    return new Promise((resolve, reject) => {
      // Dependency installs run the bundle's own code (setup.py, install scripts): they
      // get the environment without the builder's MLRUN_ settings, which hold secrets.
      const child = spawn(spec.command, [...spec.args], {
        cwd: spec.cwd,
        env: modelProcessEnv(process.env),
        stdio: ['ignore', 'pipe', 'pipe'],
        signal: spec.signal,
        killSignal: 'SIGKILL',
      });
      const outputs = [lines(child.stdout, spec.onLine), lines(child.stderr, spec.onLine)];
      child.once('error', (error) => {
        if (spec.signal?.aborted) resolve(-1);
        else reject(new Error(`cannot run ${spec.command}: ${error.message}`));
      });
      child.once('close', (code) => {
        void Promise.all(outputs).then(() => resolve(code ?? -1));
      });
    });
  }
}

function lines(stream: Readable, onLine: (line: string) => void): Promise<void> {
  const reader = createInterface({ input: stream, crlfDelay: Infinity });
  reader.on('line', onLine);
  return new Promise((resolve) => reader.once('close', resolve));
}
