import { JobQueue } from './job-queue';

describe(JobQueue.name, () => {
  it('hands items out in order, across compactions', () => {
    const sut = new JobQueue<number>();
    for (let i = 0; i < 5000; i++) sut.push(i);
    const out: number[] = [];
    for (let i = 0; i < 3000; i++) out.push(sut.shift() ?? -1);
    for (let i = 5000; i < 6000; i++) sut.push(i);
    while (sut.size > 0) out.push(sut.shift() ?? -1);
    expect(out).toEqual(Array.from({ length: 6000 }, (_, i) => i));
    expect(sut.shift()).toBeUndefined();
  });

  it('drains what is left, oldest first', () => {
    const sut = new JobQueue<string>();
    sut.push('a');
    sut.push('b');
    sut.push('c');
    sut.shift();
    expect(sut.drain()).toEqual(['b', 'c']);
    expect(sut.size).toBe(0);
  });
});
