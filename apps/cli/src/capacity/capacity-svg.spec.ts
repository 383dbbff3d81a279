// Renders the charts for real. vega and vega-lite are ESM-only (vega-lite with top-level
// await), which Jest's CommonJS cannot load, so this builds the CLI as `npm run build`
// does and runs it in a child process.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(__dirname, '../../../..');

// Same esbuild options as tools/build/build-apps.mjs; the bundle must sit inside the repo
// so its external packages (and their import()) resolve from node_modules.
const BUILD_SCRIPT = `
import { build } from 'esbuild';
import { swcDecorators } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'tools/build/swc-decorators.mjs')).href)};
await build({
  entryPoints: [process.argv[1]], outfile: process.argv[2], bundle: true, platform: 'node',
  target: 'node20', format: 'cjs', packages: 'external', keepNames: true, logLevel: 'error',
  tsconfig: ${JSON.stringify(path.join(ROOT, 'tsconfig.base.json'))}, plugins: [swcDecorators],
});
`;

const count = (text: string, fragment: string) => text.split(fragment).length - 1;

describe('ml-run capacity --plot (built CLI)', () => {
  let buildDir: string;
  let workDir: string;
  let main: string;

  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [main, 'capacity', ...args], {
      cwd: workDir,
      env: { ...process.env, MLRUN_DATA_DIR: workDir },
      encoding: 'utf8',
      timeout: 30_000,
    });

  const plot = async (kind: string, ...args: string[]) => {
    const out = path.join(workDir, `${kind}.svg`);
    const run = cli('--plot', kind, '--out', out, ...args);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`wrote the ${kind} chart to ${out}`);
    return readFile(out, 'utf8');
  };

  beforeAll(async () => {
    await mkdir(path.join(ROOT, 'dist'), { recursive: true });
    buildDir = await mkdtemp(path.join(ROOT, 'dist/tmp-capacity-spec-'));
    workDir = await mkdtemp(path.join(os.tmpdir(), 'cli-capacity-svg-'));
    main = path.join(buildDir, 'main.js');
    execFileSync(
      process.execPath,
      ['--input-type=module', '-e', BUILD_SCRIPT, path.join(ROOT, 'apps/cli/src/main.ts'), main],
      { cwd: ROOT, stdio: 'pipe' },
    );
  }, 120_000);
  afterAll(async () => {
    await rm(buildDir, { recursive: true, force: true });
    await rm(workDir, { recursive: true, force: true });
  });

  it('keeps import() of vega-lite a real dynamic import in the CJS bundle', async () => {
    const bundle = await readFile(main, 'utf8');
    expect(bundle).toContain('import("vega-lite")');
    expect(bundle).not.toMatch(/require\(["']vega-lite["']\)/);
  });

  it('draws fig5: 21 points of the rate reaching predict over p_stale', async () => {
    const svg = await plot('fig5', '--rate', '10000');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('token-aging probability p_stale');
    expect(svg).toContain('rate reaching predict (req/s)');
    expect(svg).toContain('Request rate reaching predict vs token-aging probability');
    expect(count(svg, 'aria-roledescription="point"')).toBe(21);
    expect(svg).toContain(
      'aria-label="token-aging probability p_stale: 0; rate reaching predict (req/s): 10000"',
    );
  }, 30_000);

  it('draws fig6: the validator rate over 10 L1 lifetimes from 0.1 s to 60 s, K = 1, 2, 4', async () => {
    const svg = await plot('fig6');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Token requests to the validator vs L1 cache lifetime');
    expect(svg).toContain('L1 cache lifetime (log scale)');
    expect(svg).toContain('token requests to the validator (req/s)');
    expect(count(svg, 'aria-roledescription="point"')).toBe(30);
    expect(svg).toContain('>0.1 s<');
    expect(svg).toContain('>60 s<');
    for (const k of ['K = 1', 'K = 2', 'K = 4']) expect(svg).toContain(`>${k}<`);
  }, 30_000);

  it('draws the logins chart: 12 token lifetimes from 1 min to 24 h', async () => {
    const svg = await plot('logins');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Login rate vs token lifetime');
    expect(svg).toContain('token lifetime (log scale)');
    expect(svg).toContain('login rate at the issuer (logins/s)');
    expect(count(svg, 'aria-roledescription="point"')).toBe(12);
    expect(svg).toContain('>1 min<');
    expect(svg).toContain('>24 h<');
  }, 30_000);

  it('draws one bar per station and the target rule', async () => {
    const svg = await plot('utilization', '--rate', '10000', '--target-utilization', '0.6');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('utilization ρ (%)');
    expect(count(svg, 'aria-roledescription="bar"')).toBe(5);
    for (const station of ['router', 'token-check', 'validator', 'issuer', 'predict']) {
      expect(svg).toContain(`aria-label="station: ${station};`);
    }
    expect(count(svg, 'class="mark-rule role-mark')).toBe(1);
    expect(svg).toContain('target 60 %');
  }, 30_000);

  it('exits with 1 and one line on stderr for a mistake', () => {
    const run = cli('--file', path.join(workDir, 'nope.json'));
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      `ml-run: cannot read the capacity parameter file ${path.join(workDir, 'nope.json')} (it does not exist): check --file`,
    ]);
  }, 30_000);
});
