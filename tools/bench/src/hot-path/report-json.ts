import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';

import { describeMachine, type Machine } from '../experiments/machine';
import type { HotPathFlags } from './flags';
import { renderMarkdown } from './report-markdown';
import type { HotPathResult } from './run-hot-path';

/** Everything a run produced, as hot-path.json holds it. */
export type HotPathReport = {
  run: {
    startedAt: string;
    finishedAt: string;
    commit: string;
    command: string;
    /** The 1-minute load average as the run ended: a shared machine shows here. */
    loadAverageAtEnd: number;
  };
  machine: Machine;
  flags: HotPathFlags;
  result: HotPathResult;
};

export function describeRun(startedAt: Date, argv: string[]): HotPathReport['run'] {
  return {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    commit: currentCommit(),
    command: ['npm run bench --', ...argv].join(' '),
    loadAverageAtEnd: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

function currentCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
    }).trim();
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return 'unknown';
  }
}

export { describeMachine };

/** Writes hot-path.json and hot-path.md into dir; returns their paths. */
export function writeReport(
  dir: string,
  report: HotPathReport,
): { json: string; markdown: string } {
  mkdirSync(dir, { recursive: true });
  const json = path.join(dir, 'hot-path.json');
  const markdown = path.join(dir, 'hot-path.md');
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(markdown, renderMarkdown(report));
  return { json, markdown };
}
