import { until } from './until';

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
