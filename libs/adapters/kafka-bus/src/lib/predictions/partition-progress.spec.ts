import { PartitionProgress } from './partition-progress';

describe(PartitionProgress.name, () => {
  it('counts the lag from the committed offset, not from what was handled', () => {
    const sut = new PartitionProgress();
    sut.fetched('t', 0, 10, 4);
    sut.handled('t', 0, '6');
    expect(sut.uncommitted()).toEqual([{ topic: 't', partition: 0, offset: '7' }]);
    expect(sut.lag()).toBe(6);
    sut.committed(sut.uncommitted());
    expect(sut.uncommitted()).toEqual([]);
    expect(sut.lag()).toBe(3);
  });

  it('forgets partitions a rebalance took away', () => {
    const sut = new PartitionProgress();
    sut.fetched('t', 0, 10, 0);
    sut.fetched('t', 1, 10, 0);
    sut.keepOnly({ t: [1] });
    expect(sut.lag()).toBe(10);
  });
});
