import { JobQueue } from './job-queue';

describe(JobQueue.name, () => {
  it('keeps first-in first-out order while wrapping around and growing', () => {
    const sut = new JobQueue();
    const out: number[] = [];
    for (let job = 0; job < 200; job++) sut.enqueue(job);
    for (let i = 0; i < 150; i++) out.push(sut.dequeue());
    for (let job = 200; job < 1000; job++) sut.enqueue(job);
    while (sut.size > 0) out.push(sut.dequeue());
    expect(out).toEqual(Array.from({ length: 1000 }, (_, job) => job));
  });
});
