import { parseArgs } from 'node:util';

export type HotPathFlags = {
  quick: boolean;
  rounds: number;
  /** Seconds per measured window. */
  duration: number;
  warmup: number;
  connections: number;
  cases?: string;
  profile: boolean;
  peers: boolean;
  out: string;
  baselineRouter?: string;
  baselineWrapper?: string;
  /** Your model's bundle folder: adds the model-off, model-warm and model-miss cases. */
  model?: string;
  /** What --model's cases send (default: the manifest's selfTest.input). */
  body?: string;
  /** MLRUN_WORKERS of --model's wrapper. */
  workers: number;
};

export const USAGE = `npm run bench -- [--quick] [--rounds 3] [--duration 10] [--warmup 2]
  [--connections 50] [--cases echo,router,...] [--profile] [--no-peers]
  [--out dist/bench/hot-path] [--baseline <dir under dist/apps>] [--baseline-wrapper <dir>]
  [--model <bundle dir> [--body <request body>] [--workers 1]]`;

export class FlagError extends Error {}

function positive(name: string, value: string, integer: boolean): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new FlagError(`--${name} ${value}: give a positive ${integer ? 'integer' : 'number'}.`);
  return n;
}

const OPTIONS = {
  quick: { type: 'boolean', default: false },
  rounds: { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string' },
  connections: { type: 'string', default: '50' },
  cases: { type: 'string' },
  profile: { type: 'boolean', default: false },
  'no-peers': { type: 'boolean', default: false },
  out: { type: 'string', default: 'dist/bench/hot-path' },
  baseline: { type: 'string' },
  'baseline-wrapper': { type: 'string' },
  model: { type: 'string' },
  body: { type: 'string' },
  workers: { type: 'string', default: '1' },
} as const;

function parsed(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, strict: true });
  } catch (error) {
    // An unknown flag or a missing value: said as the other flag errors are.
    throw new FlagError(error instanceof Error ? error.message : String(error));
  }
}

/** The command line as settings; --quick sets short defaults that explicit flags override. */
export function parseFlags(argv: string[]): HotPathFlags {
  const { values } = parsed(argv);
  const quick = values.quick ?? false;
  return {
    quick,
    rounds: positive('rounds', values.rounds ?? (quick ? '1' : '3'), true),
    duration: positive('duration', values.duration ?? (quick ? '2' : '10'), true),
    warmup: Number(values.warmup ?? (quick ? '1' : '2')),
    connections: positive('connections', values.connections ?? '50', true),
    ...(values.cases !== undefined ? { cases: values.cases } : {}),
    profile: values.profile ?? false,
    peers: !(values['no-peers'] ?? false),
    out: values.out ?? 'dist/bench/hot-path',
    ...(values.baseline !== undefined ? { baselineRouter: values.baseline } : {}),
    ...(values['baseline-wrapper'] !== undefined
      ? { baselineWrapper: values['baseline-wrapper'] }
      : {}),
    ...(values.model !== undefined ? { model: values.model } : {}),
    ...(values.body !== undefined ? { body: values.body } : {}),
    workers: positive('workers', values.workers ?? '1', true),
  };
}
