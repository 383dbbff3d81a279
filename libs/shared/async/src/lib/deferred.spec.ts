import { deferred } from './deferred';

describe(deferred.name, () => {
  it('resolves its promise from outside, with the value given', async () => {
    const sut = deferred<number>();
    let seen: number | undefined;
    void sut.promise.then((value) => (seen = value));
    await Promise.resolve();
    expect(seen).toBeUndefined();
    sut.resolve(3);
    await expect(sut.promise).resolves.toBe(3);
    expect(seen).toBe(3);
  });
});
