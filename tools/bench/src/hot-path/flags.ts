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
};

export const USAGE = `npm run bench -- [--quick] [--rounds 3] [--duration 10] [--warmup 2]
  [--connections 50] [--cases echo,router,...] [--profile] [--no-peers]
  [--out dist/bench/hot-path] [--baseline <dir under dist/apps>] [--baseline-wrapper <dir>]`;

export class FlagError extends Error {}

function positive(name: string, value: string, integer: boolean): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new FlagError(`--${name} ${value}: give a positive ${integer ? 'integer' : 'number'}.`);
  return n;
}

/** The command line as settings; --quick sets short defaults that explicit flags override. */
export function parseFlags(argv: string[]): HotPathFlags {
  const { values } = parseArgs({
    args: argv,
    options: {
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
    },
    strict: true,
  });
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
  };
}
