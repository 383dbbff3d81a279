// The cases the hot-path bench measures, what each is compared with, and --cases parsing.

export type CaseName =
  | 'echo'
  | 'undici-proxy'
  | 'node-proxy'
  | 'wrapper-off'
  | 'wrapper-warm'
  | 'wrapper-miss'
  | 'wrapper-warm-jwt'
  | 'wrapper-miss-jwt'
  | 'router'
  | 'python-off'
  | 'python-warm'
  | 'python-router'
  | 'mlflow'
  | 'bentoml'
  | 'router-baseline'
  | 'wrapper-baseline'
  | 'python-sandboxed'
  | 'model-off'
  | 'model-warm'
  | 'model-miss';

export type CaseSpec = {
  name: CaseName;
  /** The path a request takes, as the report's table shows it. */
  path: string;
  /** The case its throughput is divided by in the table's ratio column. */
  baseline?: CaseName;
  /** Run only when --cases names it. */
  optIn?: boolean;
};

export const CASES: readonly CaseSpec[] = [
  { name: 'echo', path: 'bare node:http echo' },
  { name: 'undici-proxy', path: 'bare undici proxy → bare echo', baseline: 'echo' },
  { name: 'node-proxy', path: 'bare node:http proxy → bare echo', baseline: 'echo' },
  { name: 'wrapper-off', path: 'wrapper (echo-node), auth off', baseline: 'echo' },
  { name: 'wrapper-warm', path: 'wrapper (echo-node), auth on, warm L1', baseline: 'wrapper-off' },
  {
    name: 'wrapper-miss',
    path: 'wrapper (echo-node), auth on, every request a miss',
    baseline: 'wrapper-off',
  },
  {
    name: 'wrapper-warm-jwt',
    path: 'wrapper (echo-node), signed tokens, warm L1',
    baseline: 'wrapper-warm',
  },
  {
    name: 'wrapper-miss-jwt',
    path: 'wrapper (echo-node), signed tokens, every request verified (no L1)',
    baseline: 'wrapper-miss',
  },
  {
    name: 'router',
    path: 'router → wrapper (echo-node), auth on, warm',
    baseline: 'undici-proxy',
  },
  { name: 'python-off', path: 'wrapper (iris-python, 2 workers), auth off' },
  {
    name: 'python-warm',
    path: 'wrapper (iris-python, 2 workers), auth on, warm',
    baseline: 'python-off',
  },
  {
    name: 'python-router',
    path: 'router → wrapper (iris-python, 2 workers), auth on, warm',
    baseline: 'mlflow',
  },
  { name: 'mlflow', path: 'MLflow serving iris (2 workers)' },
  { name: 'bentoml', path: 'BentoML serving iris (2 workers)' },
  {
    name: 'router-baseline',
    path: 'baseline router → wrapper (echo-node), auth on, warm',
    baseline: 'router',
  },
  {
    name: 'wrapper-baseline',
    path: 'baseline wrapper (echo-node), auth on, warm L1',
    baseline: 'wrapper-warm',
  },
  {
    name: 'python-sandboxed',
    path: 'wrapper (iris-python, 2 workers), auth off, sandboxed (MLRUN_SANDBOX=auto)',
    baseline: 'python-off',
    optIn: true,
  },
  { name: 'model-off', path: '--model wrapper, auth off' },
  { name: 'model-warm', path: '--model wrapper, auth on, warm L1', baseline: 'model-off' },
  {
    name: 'model-miss',
    path: '--model wrapper, auth on, every request a miss',
    baseline: 'model-off',
  },
];

export const PEER_CASES: readonly CaseName[] = ['mlflow', 'bentoml'];

export class CaseListError extends Error {}

/**
 * The cases to run, in the catalogue's order: the --cases list (all but the opt-in ones by
 * default), without the peers under --no-peers, and the baseline builds' and --model's
 * cases only when those are given.
 */
export function selectCases(options: {
  cases?: string;
  peers: boolean;
  baselineRouter?: string;
  baselineWrapper?: string;
  model?: string;
}): CaseSpec[] {
  const known = new Set<string>(CASES.map((c) => c.name));
  const asked = options.cases
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of asked ?? [])
    if (!known.has(name))
      throw new CaseListError(`--cases: no case "${name}"; choose from ${[...known].join(', ')}.`);
  const needs: Partial<Record<CaseName, boolean>> = {
    mlflow: options.peers,
    bentoml: options.peers,
    'router-baseline': options.baselineRouter !== undefined,
    'wrapper-baseline': options.baselineWrapper !== undefined,
    'model-off': options.model !== undefined,
    'model-warm': options.model !== undefined,
    'model-miss': options.model !== undefined,
  };
  return CASES.filter(
    (c) => (asked ? asked.includes(c.name) : !c.optIn) && needs[c.name] !== false,
  );
}
