import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CommanderError } from 'commander';

import { DEFAULT_MLRUN_PARAMETERS } from '@ml-run/qnet';

import { CliError, describeFailure } from '../cli.errors';
import { cliHarness, type CliHarness } from '../testing/cli-harness';
import { capacity } from './capacity-command';
import type { CapacityOptions } from './capacity-options';

// A tandem without the auth detours (p_stale = p_miss = 0): router, token check and
// predict are then independent M/M/c queues that the test solves by hand.
const SIMPLE = [
  ...['--rate', '100', '--p-stale', '0', '--p-miss', '0'],
  ...['--routers', '1', '--mu-router', '400'],
  ...['--wrappers', '1', '--mu-check', '1000', '--mu-predict', '200'],
];

/** M/M/1 by hand: Wq = ρ/(μ − λ), W = 1/(μ − λ), in ms. */
const mm1 = (lambda: number, mu: number) => ({
  rho: lambda / mu,
  waitMs: (1000 * (lambda / mu)) / (mu - lambda),
  sojournMs: 1000 / (mu - lambda),
});

/** The cells of a station's row in the printed table. */
function row(lines: readonly string[], station: string): string[] {
  const line = lines.find((l) => l.startsWith(`${station} `));
  if (line === undefined) throw new Error(`no row for ${station} in:\n${lines.join('\n')}`);
  return line.split(/\s{2,}/);
}

const lineWith = (lines: readonly string[], text: string) =>
  lines.find((line) => line.includes(text)) ?? '';

describe('ml-run capacity', () => {
  let dir: string;
  let sut: CliHarness;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cli-capacity-'));
    sut = cliHarness({ dataDir: dir });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const writeParams = async (content: unknown) => {
    const file = path.join(dir, 'params.json');
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };
  const json = () => JSON.parse(sut.lines.join('\n'));

  it('prints per-station M/M/c figures that match a hand-solved tandem', async () => {
    await sut.run('capacity', ...SIMPLE);
    const expected = {
      router: mm1(100, 400),
      'token-check': mm1(100, 1000),
      predict: mm1(100, 200),
    };
    for (const [station, q] of Object.entries(expected)) {
      const [, arrivals, servers, util, wait, sojourn] = row(sut.lines, station);
      expect(Number(arrivals)).toBe(100);
      expect(servers).toBe('1');
      expect(Number(util)).toBeCloseTo(q.rho * 100, 1);
      expect(Number(wait)).toBeCloseTo(q.waitMs, 2);
      expect(Number(sojourn)).toBeCloseTo(q.sojournMs, 2);
    }
    expect(row(sut.lines, 'validator').slice(1, 4)).toEqual(['0', '1', '0.0']);
    const total = 1000 / 300 + 1000 / 900 + 1000 / 100; // Σ W_i, each visited once
    const response = /mean response time\s+(\S+) ms/.exec(lineWith(sut.lines, 'mean response'));
    expect(Number(response?.[1])).toBeCloseTo(total, 1);
    expect(lineWith(sut.lines, 'bottleneck')).toMatch(/predict \(ρ = 50\.0 %\)/);
    // predict reaches ρ = 1 at λ = c·μ = 200.
    expect(lineWith(sut.lines, 'max sustainable λ')).toMatch(/200 req\/s/);
  });

  it('solves M/M/2 stations with Erlang C', async () => {
    await sut.run('capacity', ...SIMPLE, '--wrappers', '2', '--mu-predict', '100');
    // M/M/2 with ρ = 0.5: C = 2ρ²/(1+ρ) = 1/3, Wq = C/(2μ − λ) = 1/300 s.
    const [, , servers, util, wait, sojourn] = row(sut.lines, 'predict');
    expect([servers, util]).toEqual(['2', '50.0']);
    expect(Number(wait)).toBeCloseTo(1000 / 300, 2);
    expect(Number(sojourn)).toBeCloseTo(1000 / 300 + 10, 1); // printed as 13.3
  });

  it('lists the parameters used, with p_stale and p_miss derived unless given', async () => {
    await sut.run('capacity', '--rate', '1000', '--clients', '1000', '--token-lifetime', '3600');
    expect(sut.lines[0]).toBe('parameters');
    expect(lineWith(sut.lines, 'rate λ')).toMatch(/1000 req\/s/);
    // p_stale = clients / (clients + λ·T) = 1000 / (1000 + 3.6e6)
    const pStale = Number(/p_stale\s+(\S+)/.exec(lineWith(sut.lines, 'p_stale'))?.[1]);
    expect(pStale).toBeCloseTo(1000 / 3_601_000, 6);
    expect(lineWith(sut.lines, 'p_stale')).toContain('derived');
    expect(lineWith(sut.lines, 'p_miss')).toContain('derived');
    sut.lines.length = 0;
    await sut.run('capacity', '--p-stale', '0.25');
    expect(lineWith(sut.lines, 'p_stale')).toMatch(/p_stale\s+0\.25 \(given\)/);
  });

  it('says what a 401 leads to, and derives p_stale for retries per token check', async () => {
    const args = ['--rate', '10', '--clients', '100', '--token-lifetime', '10'];
    await sut.run('capacity', ...args);
    expect(lineWith(sut.lines, 'after a 401')).toContain(
      "leave: login, and the request is done (the paper's model)",
    );
    expect(lineWith(sut.lines, 'p_stale')).toMatch(/p_stale\s+0\.5 /);
    sut.lines.length = 0;

    await sut.run('capacity', ...args, '--stale-requests', 'retry', '--json');
    // One stale check per λ_c·T + 2 = 3: 1/3; the router sees λ/(1 − 1/3) = 15 req/s.
    const out = json();
    expect(out.parameters).toMatchObject({ staleRequests: 'retry' });
    expect(out.parameters.pStale).toBeCloseTo(1 / 3, 9);
    expect(out.stations[0].arrivalRate).toBeCloseTo(15, 9);
    expect(out.stations[4].arrivalRate).toBeCloseTo(10, 9);
  });

  it('takes the predict SCV and split validator queues, and says so', async () => {
    await sut.run('capacity', ...SIMPLE, '--predict-scv', '0', '--validator-queues', 'split');
    // M/D/1 predict: Wq = ρ/(2(μ − λ)) = half the M/M/1 wait.
    const [, , , , wait] = row(sut.lines, 'predict');
    expect(Number(wait)).toBeCloseTo(mm1(100, 200).waitMs / 2, 2);
    expect(lineWith(sut.lines, 'predict service')).toContain('c_s² = 0');
    expect(lineWith(sut.lines, 'validator queues')).toContain('split');
  });

  it('takes the parameters from --file and lets flags override them', async () => {
    const file = await writeParams({
      ...DEFAULT_MLRUN_PARAMETERS,
      rate: 100,
      servers: { routers: 3, wrappers: 2, validators: 1, issuers: 1 },
      measured: { source: 'tools/bench wrapper-auth', at: '2025-11-28T16:00:00Z' },
    });
    await sut.run('capacity', '--file', file, '--json', '--rate', '150', '--wrappers', '4');
    expect(json().parameters).toMatchObject({
      rate: 150,
      clients: DEFAULT_MLRUN_PARAMETERS.clients,
      servers: { routers: 3, wrappers: 4, validators: 1, issuers: 1 },
    });
  });

  it.each([
    [
      'a missing file',
      undefined,
      /cannot read the capacity parameter file .*missing\.json \(it does not exist\)/,
    ],
    ['invalid JSON', '{"rate": 1,', /params\.json: The capacity parameters are not valid JSON/],
    [
      'a bad value',
      { ...DEFAULT_MLRUN_PARAMETERS, clients: -5 },
      /params\.json: .*"clients": must be at least 1/,
    ],
    ['a missing field', { rate: 5 }, /params\.json: .*"clients"/],
    ['an unknown field', { ...DEFAULT_MLRUN_PARAMETERS, rates: 5 }, /params\.json: .*rates/],
  ])('explains %s in --file in one line, exit code 1', async (_, content, message) => {
    const file =
      content === undefined ? path.join(dir, 'missing.json') : await writeParams(content);
    const error = await sut.run('capacity', '--file', file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toMatch(message);
    const { text, exitCode } = describeFailure(error);
    expect(text.split('\n')).toHaveLength(1);
    expect(exitCode).toBe(1);
  });

  it.each([
    ['--rate', 'abc', 'must be a number'],
    ['--rate', '0', 'must be a number above 0'],
    ['--mu-predict', '-3', 'must be a number above 0'],
    ['--routers', '1.5', 'must be a whole number of 1 or more'],
    ['--wrappers', '0', 'must be a whole number of 1 or more'],
    ['--clients', '10x', 'must be a whole number of 1 or more'],
    ['--l1-ttl', '-1', 'must be a number of 0 or more'],
    ['--p-stale', '1.5', 'must be a number from 0 to 1'],
    ['--target-utilization', '1', 'must be a number between 0 and 1'],
    ['--max-latency-ms', '0', 'must be a number above 0'],
    ['--stale-requests', 'drop', 'Allowed choices are leave, retry'],
    ['--predict-scv', '-1', 'must be a number of 0 or more'],
    ['--validator-queues', 'pooled', 'Allowed choices are shared, split'],
  ])('refuses %s %s, naming the flag', async (flag, value, message) => {
    const error = await sut.run('capacity', flag, value).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).exitCode).not.toBe(0);
    expect((error as Error).message).toContain(flag);
    expect((error as Error).message).toContain(message);
    expect(sut.lines).toEqual([]);
  });

  it('prints JSON with the same content: stations, bottleneck, recommendation', async () => {
    await sut.run('capacity', ...SIMPLE, '--json');
    const out = json();
    expect(Object.keys(out)).toEqual(
      expect.arrayContaining(['parameters', 'stations', 'meanResponseTime', 'bottleneck']),
    );
    expect(out.parameters).toMatchObject({ rate: 100, pStale: 0, pMiss: 0 });
    expect(out.stations.map((s: { name: string }) => s.name)).toEqual([
      'router',
      'token-check',
      'validator',
      'issuer',
      'predict',
    ]);
    expect(out.stations[0].meanSojourn).toBeCloseTo(1 / 300, 9);
    expect(out.meanResponseTime).toBeCloseTo(1 / 300 + 1 / 900 + 1 / 100, 9);
    expect(out).toMatchObject({ bottleneck: 'predict', overloaded: [] });
    expect(out.maxSustainableRate).toBeCloseTo(200, 9);
    expect(out.recommendation).toMatchObject({ met: true, servers: { wrappers: 1 } });
    expect(out.recommendation.maxUtilization).toBeLessThanOrEqual(0.7);
  });

  it('says which station is overloaded, and still prints the table and a recommendation', async () => {
    await sut.run('capacity', ...SIMPLE, '--rate', '300');
    expect(lineWith(sut.lines, 'OVERLOADED')).toMatch(
      /^OVERLOADED: predict at ρ = 1\.50 \(300 req\/s for 1 × 200\/s\);.* at most 200 req\/s; raise --wrappers /,
    );
    expect(row(sut.lines, 'predict').slice(3)).toEqual(['150.0 !', '∞', '∞']);
    expect(row(sut.lines, 'router').slice(3)).toEqual(['75.0', '7.50', '10.0']);
    expect(lineWith(sut.lines, 'mean response time')).toContain('∞ (overloaded)');
    // predict needs ⌈300 / (0.7·200)⌉ = 3 wrappers, the router ⌈300 / (0.7·400)⌉ = 2.
    expect(sut.lines.filter((l) => l.includes('wrappers K='))[1]).toContain(
      'routers N=2, wrappers K=3, validators M=1',
    );
    sut.lines.length = 0;
    await sut.run('capacity', ...SIMPLE, '--rate', '300', '--json');
    expect(json()).toMatchObject({
      overloaded: [{ station: 'predict', utilization: 1.5 }],
      meanResponseTime: null,
    });
  });

  it('explains a recommendation that cannot be met', async () => {
    await sut.run('capacity', ...SIMPLE, '--max-latency-ms', '1');
    // Predict's service alone takes 1/μ = 5 ms: no server count gets the mean under 1 ms.
    expect(lineWith(sut.lines, 'recommendation for')).toContain('mean ≤ 1.00 ms');
    expect(lineWith(sut.lines, 'cannot be met')).not.toBe('');
  });

  it('adds simulated columns with ± half-widths under --simulate', async () => {
    await sut.run('capacity', ...SIMPLE, '--simulate', '--sim-seconds', '200');
    expect(lineWith(sut.lines, 'STATION')).toContain('SIM SOJOURN ms');
    const [, , , , , , simUtil, simSojourn] = row(sut.lines, 'predict');
    const [utilMean, , utilHalf] = simUtil.split(' ');
    expect(Math.abs(Number(utilMean) - 50)).toBeLessThan(Number(utilHalf) * 3 + 1);
    expect(Number(simSojourn.split(' ')[0])).toBeGreaterThan(5);
    expect(lineWith(sut.lines, 'simulated mean response time')).toMatch(/± .* ms \(95 % CI/);
  });

  it('skips the simulation of an overloaded network', async () => {
    await sut.run('capacity', ...SIMPLE, '--rate', '300', '--simulate');
    expect(lineWith(sut.lines, 'simulation skipped')).toContain('overloaded');
  });

  it('needs --out with --plot, and --plot with --out', async () => {
    await expect(sut.run('capacity', '--plot', 'fig5')).rejects.toThrow(
      new CliError('--plot fig5 needs --out <file.svg>: the file to write the chart to'),
    );
    await expect(sut.run('capacity', '--out', 'x.svg')).rejects.toThrow(/--out needs --plot/);
  });

  it('refuses an unknown --plot', async () => {
    const error = await sut.run('capacity', '--plot', 'fig7', '--out', 'x.svg').catch((e) => e);
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as Error).message).toMatch(
      /fig7.*Allowed choices are fig5, fig6, logins, utilization/,
    );
  });

  it('writes the rendered chart to --out and says so', async () => {
    const out = path.join(dir, 'u.svg');
    const render = jest.fn().mockResolvedValue('<svg>fake</svg>');
    const options: CapacityOptions = { targetUtilization: 0.6, seed: 1, plot: 'utilization', out };
    await capacity(sut.deps, options, render);
    expect(await readFile(out, 'utf8')).toBe('<svg>fake</svg>');
    expect(render.mock.calls[0][0].layer).toHaveLength(2);
    expect(sut.lines.at(-1)).toBe(`wrote the utilization chart to ${out}`);
  });
});
