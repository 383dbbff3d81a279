import os from 'node:os';

import { SpawnCommandRunner } from './spawn-command-runner.adapter';

describe(SpawnCommandRunner.name, () => {
  const sut = new SpawnCommandRunner();

  it('streams stdout and stderr lines and answers the exit code', async () => {
    const lines: string[] = [];
    const script = "console.log('one\\ntwo'); console.error('three'); process.exit(3)";
    const code = await sut.run({
      command: process.execPath,
      args: ['-e', script],
      cwd: os.tmpdir(),
      onLine: (l) => lines.push(l),
    });
    expect(code).toBe(3);
    expect(lines.sort()).toEqual(['one', 'three', 'two']);
  });

  it('keeps the MLRUN_ settings (secrets) from the command', async () => {
    process.env['MLRUN_INTROSPECTION_TOKEN'] = 'secret-for-test';
    const lines: string[] = [];
    const script = "console.log(process.env.MLRUN_INTROSPECTION_TOKEN ?? 'unset')";
    await sut.run({
      command: process.execPath,
      args: ['-e', script],
      cwd: os.tmpdir(),
      onLine: (l) => lines.push(l),
    });
    delete process.env['MLRUN_INTROSPECTION_TOKEN'];
    expect(lines).toEqual(['unset']);
  });

  it('kills the command when aborted', async () => {
    const abort = new AbortController();
    const running = sut.run({
      command: process.execPath,
      args: ['-e', 'setTimeout(() => {}, 60000)'],
      cwd: os.tmpdir(),
      onLine: () => undefined,
      signal: abort.signal,
    });
    abort.abort();
    expect(await running).toBe(-1);
  });

  it('rejects with the command name when it cannot start', async () => {
    await expect(
      sut.run({
        command: 'no-such-command-xyz',
        args: [],
        cwd: os.tmpdir(),
        onLine: () => undefined,
      }),
    ).rejects.toThrow('cannot run no-such-command-xyz');
  });
});
