import { InvalidArgumentError, Option } from 'commander';

import { CHART_KINDS, type ChartKind } from './capacity-charts';

/** What commander hands the action: every flag already checked and converted. */
export type CapacityOptions = {
  file?: string;
  rate?: number;
  clients?: number;
  tokenLifetime?: number;
  l1Ttl?: number;
  routers?: number;
  wrappers?: number;
  validators?: number;
  issuers?: number;
  muRouter?: number;
  muCheck?: number;
  muValidator?: number;
  muIssuer?: number;
  muPredict?: number;
  pStale?: number;
  pMiss?: number;
  staleRequests?: 'leave' | 'retry';
  predictScv?: number;
  validatorQueues?: 'shared' | 'split';
  targetUtilization: number;
  maxLatencyMs?: number;
  simulate?: boolean;
  seed: number;
  simSeconds?: number;
  json?: boolean;
  plot?: ChartKind;
  out?: string;
};

const DEFAULT_TARGET_UTILIZATION = 0.7;
const DEFAULT_SEED = 1;

function toNumber(value: string): number {
  const number = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(number)) throw new InvalidArgumentError('must be a number');
  return number;
}

function parsePositive(value: string): number {
  const number = toNumber(value);
  if (number <= 0) throw new InvalidArgumentError('must be a number above 0');
  return number;
}

function parseNonNegative(value: string): number {
  const number = toNumber(value);
  if (number < 0) throw new InvalidArgumentError('must be a number of 0 or more');
  return number;
}

function parsePositiveInteger(value: string): number {
  if (!/^\s*\d+\s*$/.test(value) || Number(value) < 1) {
    throw new InvalidArgumentError('must be a whole number of 1 or more');
  }
  return Number(value);
}

function parseProbability(value: string): number {
  const number = toNumber(value);
  if (number < 0 || number > 1) throw new InvalidArgumentError('must be a number from 0 to 1');
  return number;
}

function parseUtilization(value: string): number {
  const number = toNumber(value);
  if (number <= 0 || number >= 1) {
    throw new InvalidArgumentError('must be a number between 0 and 1 (e.g. 0.7 for 70 %)');
  }
  return number;
}

const option = (flags: string, description: string, parse: (value: string) => number) =>
  new Option(flags, description).argParser(parse);

/** The options of `ml-run capacity`, in the order --help lists them. */
export function capacityOptions(): Option[] {
  return [...modelOptions(), ...outputOptions()];
}

// The model's parameters: each overrides the --file value (or the default).
function modelOptions(): Option[] {
  return [
    new Option('--file <params.json>', 'capacity parameters (JSON); flags override its values'),
    option('--rate <per-second>', 'external request rate λ (req/s)', parsePositive),
    option('--clients <n>', 'clients holding tokens', parsePositiveInteger),
    option('--token-lifetime <s>', 'token lifetime (s)', parsePositive),
    option('--l1-ttl <s>', "wrapper's L1 token cache TTL (s)", parseNonNegative),
    option('--routers <n>', 'router servers N', parsePositiveInteger),
    option('--wrappers <n>', 'model-wrapper replicas K', parsePositiveInteger),
    option('--validators <n>', 'token-validator servers M', parsePositiveInteger),
    option('--issuers <n>', 'auth-issuer servers', parsePositiveInteger),
    option('--mu-router <per-second>', 'service rate of one router server (/s)', parsePositive),
    option('--mu-check <per-second>', 'token check rate of one wrapper (/s)', parsePositive),
    option('--mu-validator <per-second>', 'rate of one validator server (/s)', parsePositive),
    option('--mu-issuer <per-second>', 'rate of one issuer server (/s)', parsePositive),
    option('--mu-predict <per-second>', 'predict rate of one wrapper (/s)', parsePositive),
    option('--p-stale <p>', 'token-aging probability (default: derived)', parseProbability),
    option('--p-miss <p>', 'L1 cache miss probability (default: derived)', parseProbability),
    new Option(
      '--stale-requests <what>',
      "after a 401 and the login the request leaves (the paper's model) or is retried",
    ).choices(['leave', 'retry']),
    option(
      '--predict-scv <c2>',
      "squared coefficient of variation of predict's service time (1 exponential, 0 fixed)",
      parseNonNegative,
    ),
    new Option(
      '--validator-queues <kind>',
      'validators behind one URL (shared queue) or separate URLs (a queue each)',
    ).choices(['shared', 'split']),
  ];
}

// What to recommend for, and what to print or draw.
function outputOptions(): Option[] {
  return [
    option(
      '--target-utilization <u>',
      'utilization the recommendation keeps under',
      parseUtilization,
    ).default(DEFAULT_TARGET_UTILIZATION),
    option(
      '--max-latency-ms <ms>',
      'mean response time the recommendation keeps under',
      parsePositive,
    ),
    new Option('--simulate', 'also run the replicated discrete-event simulation'),
    option('--seed <n>', 'random seed of the simulation', parsePositiveInteger).default(
      DEFAULT_SEED,
    ),
    option(
      '--sim-seconds <s>',
      'simulated seconds per run (default: 20000 arrivals)',
      parsePositive,
    ),
    new Option('--json', 'print the same content as JSON'),
    new Option('--plot <chart>', 'write a chart as SVG (needs --out)').choices(CHART_KINDS),
    new Option('--out <file.svg>', 'where --plot writes the chart'),
  ];
}
