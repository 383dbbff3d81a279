import { EventHeap } from './event-heap';
import { createRng } from './rng';

describe(EventHeap.name, () => {
  it('removes events in time order, growing past its initial capacity', () => {
    const sut = new EventHeap(4);
    const rng = createRng(5);
    const times = Array.from({ length: 500 }, () => rng() * 100);
    times.forEach((time, index) => sut.push(time, index));
    const order: number[] = [];
    while (sut.size > 0) {
      order.push(sut.minTime());
      expect(times[sut.minPayload()]).toBe(sut.minTime());
      sut.removeMin();
    }
    expect(order).toEqual([...times].sort((a, b) => a - b));
  });

  it('interleaves pushes and removals like a priority queue', () => {
    const sut = new EventHeap(2);
    sut.push(5, 1);
    sut.push(1, 2);
    sut.removeMin();
    sut.push(3, 3);
    sut.push(0.5, 4);
    expect(sut.minPayload()).toBe(4);
    sut.removeMin();
    expect(sut.minPayload()).toBe(3);
    sut.removeMin();
    expect(sut.minPayload()).toBe(1);
    sut.removeMin();
    expect(sut.minTime()).toBe(Infinity);
  });
});
