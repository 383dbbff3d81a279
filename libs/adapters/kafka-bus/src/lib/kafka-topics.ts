import type { Admin } from 'kafkajs';

import type { StartPosition } from './kafka-event-consumer';

/** Creates the topics that do not exist yet; existing ones are left as they are. */
export async function ensureTopics(
  admin: Admin,
  topics: readonly string[],
  numPartitions: number,
): Promise<void> {
  if (topics.length === 0) return;
  // Asking first: kafkajs logs the broker's TOPIC_ALREADY_EXISTS answer as an error,
  // which would show at every start of every service.
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic));
  if (missing.length === 0) return;
  await admin.createTopics({
    topics: missing.map((topic) => ({ topic, numPartitions })),
    waitForLeaders: true,
  });
}

// A new group starts at the end of each partition. Reading the end offsets here, before
// start() returns, and seeking to them on the first join means an event published after
// start() is never skipped; kafkajs alone would resolve "latest" at its first fetch, a
// little after the join. Groups with committed offsets resume from them.
export async function newGroupPositions(
  admin: Admin,
  groupId: string,
  topics: readonly string[],
): Promise<StartPosition[]> {
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  const positions: StartPosition[] = [];
  for (const { topic, partitions } of committed) {
    const unset = partitions.filter(({ offset }) => Number(offset) < 0);
    if (unset.length === 0) continue;
    const ends = await admin.fetchTopicOffsets(topic);
    for (const { partition } of unset) {
      const end = ends.find((candidate) => candidate.partition === partition);
      if (end) positions.push({ topic, partition, offset: end.high });
    }
  }
  return positions;
}
