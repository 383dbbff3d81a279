import { ConsumerGaps } from './consumer-gaps';

describe(ConsumerGaps.name, () => {
  let sut: ConsumerGaps;

  beforeEach(() => {
    sut = new ConsumerGaps();
  });

  it('reports no gap on the first join', () => {
    expect(sut.joined()).toBe(false);
  });

  it('reports a gap on every later join', () => {
    sut.joined();
    expect(sut.joined()).toBe(true);
    expect(sut.joined()).toBe(true);
  });

  it('reports a gap when a joined consumer crashes, once per outage', () => {
    sut.joined();
    expect(sut.crashed()).toBe(true);
    expect(sut.crashed()).toBe(false);
  });

  it('reports a gap again when the consumer rejoins after a crash', () => {
    sut.joined();
    sut.crashed();
    expect(sut.joined()).toBe(true);
    expect(sut.crashed()).toBe(true);
  });

  it('reports no gap for a crash before the first join', () => {
    expect(sut.crashed()).toBe(false);
    expect(sut.joined()).toBe(false);
  });
});
