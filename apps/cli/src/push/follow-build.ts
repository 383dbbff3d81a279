import type { BuildRecord, BuildStep } from '@ml-run/registry-contract';

import { CliError } from '../cli.errors';
import type { BuilderClient } from '../http/builder-client';

const LOG_TAIL = 20;

const finished = (build: BuildRecord) => build.state === 'succeeded' || build.state === 'failed';

/** "  image        done (12.3 s)" */
export function stepLine(step: BuildStep): string {
  const seconds =
    step.startedAt !== undefined && step.finishedAt !== undefined
      ? ` (${((Date.parse(step.finishedAt) - Date.parse(step.startedAt)) / 1000).toFixed(1)} s)`
      : '';
  const message = step.message ? `: ${step.message}` : '';
  return `  ${step.name.padEnd(12)} ${step.state}${seconds}${message}`;
}

/**
 * Prints a build's steps as they run (from its event stream) and returns the finished
 * build; log lines are kept, the last ones come back in the record's `log` when absent.
 */
export async function followBuild(
  builder: BuilderClient,
  id: string,
  out: (line: string) => void,
): Promise<BuildRecord> {
  const current = await builder.getBuild(id);
  if (finished(current)) {
    out(`build ${id} had already ${current.state}`);
    return current;
  }
  out(`build ${id}`);
  const tail: string[] = [];
  for await (const event of builder.buildEvents(id)) {
    if (event.type === 'step') out(stepLine(event.step));
    else if (event.type === 'log') keepLast(tail, event.line);
    else if (event.type === 'done') return withLog(event.build, tail);
  }
  // The stream ended without "done" (a proxy timeout, a builder restart): ask once.
  const last = await builder.getBuild(id);
  if (finished(last)) return withLog(last, tail);
  throw new CliError(
    `the event stream of build ${id} ended while it was ${last.state}: ` +
      `see ${builder.baseUrl}/v1/builds/${id}`,
  );
}

function keepLast(tail: string[], line: string): void {
  tail.push(line);
  if (tail.length > LOG_TAIL) tail.shift();
}

function withLog(build: BuildRecord, tail: string[]): BuildRecord {
  return build.log.length > 0 ? build : { ...build, log: tail };
}

/** Prints how a build ended; a failed build prints its error and last log lines, then throws. */
export function reportBuild(build: BuildRecord, out: (line: string) => void): void {
  if (build.state === 'succeeded') {
    out(`build ${build.id} succeeded`);
    return;
  }
  const error = build.error
    ? `error ${build.error.code}: ${build.error.message}`
    : 'no error given';
  out(`build ${build.id} failed: ${error}`);
  const log = build.log.slice(-LOG_TAIL);
  if (log.length > 0) {
    out(`last ${log.length} log lines:`);
    for (const line of log) out(`  | ${line}`);
  }
  throw new CliError(`the build of ${build.name} ${build.version} failed`);
}
