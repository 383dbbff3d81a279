import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';

// A process that logs, then dies by SIGKILL (no exit hook runs): what reached its stdout.
function stdoutOfKilledLogger(lines: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mlrun-stdout-'));
  try {
    const entry = path.join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `import { createLogger } from ${JSON.stringify(path.join(__dirname, 'stdout-destination'))};\n` +
        `const logger = createLogger({ level: 'info' });\n${lines}\n` +
        `process.kill(process.pid, 'SIGKILL');\n`,
    );
    const outfile = path.join(dir, 'entry.js');
    buildSync({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      packages: 'external',
      logLevel: 'error',
    });
    const run = spawnSync(process.execPath, [outfile], {
      encoding: 'utf8',
      timeout: 30_000,
      // The bundle lives outside the workspace: pino comes from the workspace's modules.
      env: { ...process.env, NODE_PATH: path.dirname(path.dirname(require.resolve('pino'))) },
    });
    expect({ signal: run.signal, stderr: run.stderr }).toEqual({ signal: 'SIGKILL', stderr: '' });
    return run.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the buffered stdout of log lines', () => {
  it('holds ordinary lines back (one write per batch, not per line)', () => {
    expect(stdoutOfKilledLogger(`logger.info('an ordinary line');`)).toBe('');
  });

  it('writes an error line at once, with the lines before it', () => {
    const out = stdoutOfKilledLogger(`logger.info('before');\nlogger.error('model init failed');`);
    const messages = out
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toEqual(['before', 'model init failed']);
  });
});
