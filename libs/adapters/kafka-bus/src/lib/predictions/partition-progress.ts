import type { TopicPartitionOffsetAndMetadata } from 'kafkajs';

type Progress = { high: number; committed: number; done: number };

/**
 * Where this consumer is on each assigned partition: the high watermark, the next offset
 * committed, and the next offset after everything handled (done, to commit). Lag is what
 * the group has not committed: high watermark minus the committed offset.
 */
export class PartitionProgress {
  private readonly partitions = new Map<string, Progress & { topic: string; partition: number }>();

  /** A fetched batch: its high watermark, and (first sight) where the partition starts. */
  fetched(topic: string, partition: number, high: number, firstOffset: number): void {
    const key = `${topic}/${partition}`;
    const known = this.partitions.get(key);
    if (known) known.high = Math.max(known.high, high);
    else
      this.partitions.set(key, {
        topic,
        partition,
        high,
        committed: firstOffset,
        done: firstOffset,
      });
  }

  /** Everything up to and including `offset` was handled and its output acknowledged. */
  handled(topic: string, partition: number, offset: string): void {
    const known = this.partitions.get(`${topic}/${partition}`);
    if (known) known.done = Math.max(known.done, Number(offset) + 1);
  }

  /** The offsets to commit now (kafkajs's form: the next offset to read). */
  uncommitted(): TopicPartitionOffsetAndMetadata[] {
    return [...this.partitions.values()]
      .filter(({ done, committed }) => done > committed)
      .map(({ topic, partition, done }) => ({ topic, partition, offset: String(done) }));
  }

  committed(offsets: readonly TopicPartitionOffsetAndMetadata[]): void {
    for (const { topic, partition, offset } of offsets) {
      const known = this.partitions.get(`${topic}/${partition}`);
      if (known) known.committed = Math.max(known.committed, Number(offset));
    }
  }

  /** After a rebalance: partitions no longer ours are forgotten (their new owner goes on). */
  keepOnly(assignment: Record<string, number[]>): void {
    const kept = new Set(
      Object.entries(assignment).flatMap(([topic, ps]) => ps.map((p) => `${topic}/${p}`)),
    );
    for (const key of this.partitions.keys()) if (!kept.has(key)) this.partitions.delete(key);
  }

  lag(): number {
    let lag = 0;
    for (const { high, committed } of this.partitions.values())
      lag += Math.max(0, high - committed);
    return lag;
  }
}
