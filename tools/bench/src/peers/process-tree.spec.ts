import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';

import { isRunning, REPO_ROOT } from '@ml-run/process-testing';

import { killTree, treePids } from './process-tree';

// A server with two workers, as the peers run: a detached shell (its own process group)
// with two children that ignore nothing and would outlive it if left alone.
const TREE_SCRIPT = 'sleep 60 & sleep 60 & wait';

function startTree(): number {
  const child = spawn('bash', ['-c', TREE_SCRIPT], { detached: true, stdio: 'ignore' });
  child.unref();
  if (child.pid === undefined) throw new Error('bash did not start');
  return child.pid;
}

async function untilTreeListed(root: number): Promise<number[]> {
  for (;;) {
    const pids = treePids(root);
    if (pids.length >= 3) return pids;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// A SIGKILLed process is gone a moment after the signal, not at once: those still running
// after a few seconds were not killed.
async function stillRunningAfterAWhile(pids: number[]): Promise<number[]> {
  const deadline = Date.now() + 5_000;
  while (pids.some(isRunning) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return pids.filter(isRunning);
}

describe('treePids and killTree', () => {
  it('list the root and every process under it, and end them all', async () => {
    const root = startTree();
    const pids = await untilTreeListed(root);
    expect(pids[0]).toBe(root);
    expect(pids).toHaveLength(3);
    await killTree(root);
    expect(pids.filter(isRunning)).toEqual([]);
    expect(treePids(root)).toEqual([]);
  });
});

describe('the exit guard', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'peers-exit-guard-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(path.join(REPO_ROOT, 'dist/tools/bench', `exit-guard-spec-${process.pid}.js`), {
      force: true,
    });
  });

  // Run in a process of its own, bundled as the benches are (into dist/, inside the repo
  // where REPO_ROOT is found), so its exit is real.
  function runEntry(source: string): number[] {
    const entry = path.join(dir, 'entry.ts');
    writeFileSync(entry, source);
    const outfile = path.join(REPO_ROOT, 'dist/tools/bench', `exit-guard-spec-${process.pid}.js`);
    buildSync({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      packages: 'external',
      tsconfig: path.join(REPO_ROOT, 'tsconfig.base.json'),
      logLevel: 'error',
    });
    const run = spawnSync(process.execPath, [outfile], { encoding: 'utf8', timeout: 30_000 });
    if (run.status !== 0) throw new Error(`the entry exited ${run.status}: ${run.stderr}`);
    return JSON.parse(run.stdout.trim().split('\n').pop() ?? '[]') as number[];
  }

  const prelude = `
    import { spawn } from 'node:child_process';
    import { guardUntilStopped } from '${path.join(__dirname, 'exit-guard')}';
    import { treePids } from '${path.join(__dirname, 'process-tree')}';
    const child = spawn('bash', ['-c', '${TREE_SCRIPT}'], { detached: true, stdio: 'ignore' });
    child.unref();
    const root = child.pid as number;
    const listed = () => new Promise<number[]>((resolve) => {
      const poll = () => (treePids(root).length >= 3 ? resolve(treePids(root)) : setTimeout(poll, 10));
      poll();
    });
  `;

  it('kills a guarded tree when the process exits', async () => {
    const pids = runEntry(`${prelude}
      guardUntilStopped(root);
      listed().then((pids) => { console.log(JSON.stringify(pids)); process.exit(0); });
    `);
    expect(pids).toHaveLength(3);
    expect(await stillRunningAfterAWhile(pids)).toEqual([]);
  });

  it('leaves a released tree alone', async () => {
    const pids = runEntry(`${prelude}
      const release = guardUntilStopped(root);
      release();
      listed().then((pids) => { console.log(JSON.stringify(pids)); process.exit(0); });
    `);
    expect(pids).toHaveLength(3);
    try {
      // Long enough for a kill sent at exit to have landed (see stillRunningAfterAWhile).
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(pids.filter(isRunning)).toEqual(pids);
    } finally {
      await killTree(pids[0] ?? 0);
    }
  });
});
