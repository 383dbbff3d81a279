import { createProgressBar, formatBytes, renderProgress } from './progress-bar';

describe(createProgressBar.name, () => {
  const stream = (isTTY: boolean) => {
    const writes: string[] = [];
    return { writes, write: (text: string) => writes.push(text), isTTY };
  };

  it('redraws one line with \\r on a terminal, at most every 100 ms, and ends it', () => {
    const tty = stream(true);
    let clock = 0;
    const sut = createProgressBar(tty, 'up', 1000, () => clock);
    sut.update(100);
    sut.update(200); // too soon: skipped
    clock = 150;
    sut.update(500);
    sut.finish();
    expect(tty.writes).toHaveLength(3);
    expect(tty.writes.every((w) => w.startsWith('\r'))).toBe(true);
    expect(tty.writes[1]).toContain(' 50%');
    expect(tty.writes[2]).toMatch(/ 50% .*\n$/);
  });

  it('prints a plain line per quarter elsewhere', () => {
    const pipe = stream(false);
    const sut = createProgressBar(pipe, 'up', 1000);
    for (let sent = 100; sent <= 1000; sent += 100) sut.update(sent);
    sut.finish();
    // 10% opens the first quarter, 30% the second, 50%, 80%, then 100%.
    expect(pipe.writes.map((w) => w.match(/\d+%/)?.[0])).toEqual([
      '10%',
      '30%',
      '50%',
      '80%',
      '100%',
    ]);
    expect(pipe.writes.every((w) => w.endsWith('\n') && !w.includes('\r'))).toBe(true);
  });
});

describe(renderProgress.name, () => {
  it('shows the bar, the percentage and the bytes', () => {
    expect(renderProgress('up', 512, 2048)).toBe(
      `up [${'#'.repeat(8)}${'-'.repeat(22)}]  25% 512 B / 2.0 KiB`,
    );
    expect(formatBytes(3.5 * 1024 ** 2)).toBe('3.5 MiB');
  });
});
