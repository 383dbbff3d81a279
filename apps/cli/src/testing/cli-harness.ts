// Runs the ml-run command tree in-process: output collected, commander's exits turned into throws.
import type { Command } from 'commander';

import type { CliDeps } from '../cli-deps';
import { createProgram } from '../program';

export type CliHarness = {
  deps: CliDeps;
  /** stdout lines. */
  lines: string[];
  /** What went to the status stream (progress bars). */
  status: string[];
  run(...args: string[]): Promise<void>;
};

const UNUSED_URL = 'http://127.0.0.1:9';

export function cliHarness(overrides: Partial<CliDeps> & { dataDir: string }): CliHarness {
  const lines: string[] = [];
  const status: string[] = [];
  const deps: CliDeps = {
    urls: { builder: UNUSED_URL, router: UNUSED_URL, auth: UNUSED_URL },
    out: (line) => void lines.push(line),
    status: { write: (text: string) => status.push(text), isTTY: false },
    readPassword: () => Promise.reject(new Error('no password in this test')),
    readLoginPassword: () => Promise.reject(new Error('no password in this test')),
    python: 'python3',
    ...overrides,
  };
  const run = (...args: string[]) => {
    const program = createProgram(deps);
    quiet(program);
    return program.parseAsync(args, { from: 'user' }).then(() => undefined);
  };
  return { deps, lines, status, run };
}

function quiet(command: Command): void {
  command.exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  for (const sub of command.commands) quiet(sub);
}
