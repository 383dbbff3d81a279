import { until, untilValue } from './until';

describe(until.name, () => {
  it('resolves once the condition holds, sync or async', async () => {
    let checks = 0;
    await until(() => ++checks === 3);
    expect(checks).toBe(3);
    let asyncChecks = 0;
    await until(async () => ++asyncChecks === 2);
    expect(asyncChecks).toBe(2);
  });

  it('rejects, naming the bound, when the condition never holds', async () => {
    await expect(until(() => false, 20)).rejects.toThrow('condition not met within 20 ms');
  });

  it('passes on an error the condition throws', async () => {
    const broken = new Error('cannot tell');
    await expect(
      until(() => {
        throw broken;
      }),
    ).rejects.toBe(broken);
  });
});

describe(untilValue.name, () => {
  it('answers the first value the check accepts', async () => {
    let reads = 0;
    await expect(
      untilValue(
        async () => ++reads,
        (n) => n >= 3,
      ),
    ).resolves.toBe(3);
  });

  it('rejects after the bound, naming the last value read', async () => {
    await expect(
      untilValue(
        async () => ({ state: 'deploying' }),
        () => false,
        20,
      ),
    ).rejects.toThrow('not within 20 ms; last: {"state":"deploying"}');
  });

  it('still names a last value that JSON cannot show', async () => {
    const circular: { self?: unknown; toString(): string } = { toString: () => 'a response' };
    circular.self = circular;
    await expect(
      untilValue(
        async () => circular,
        () => false,
        20,
      ),
    ).rejects.toThrow('not within 20 ms; last: a response');
  });
});
