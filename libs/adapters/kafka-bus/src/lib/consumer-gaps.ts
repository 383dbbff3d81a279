// When must subscribers hear "events may have been missed"? Each instance consumes in its
// own group, which may have lost its committed offsets (the group expired while the
// consumer was away, or the coordinator moved): it then restarts at the latest offset and
// silently skips what was published meanwhile. So:
// - every join after the first one is a gap (kafkajs rejoins after a broker restart, a
//   session timeout or a restart of the consumer);
// - a crash is a gap at once, since nothing arrives until the consumer is back; repeated
//   crashes of one outage count once, and the rejoin that ends the outage is a gap again
//   (events published during the outage may be skipped by that rejoin).
export class ConsumerGaps {
  private joinedBefore = false;
  private live = false;

  /** The consumer joined its group; true when subscribers must drop derived state. */
  joined(): boolean {
    const rejoin = this.joinedBefore;
    this.joinedBefore = true;
    this.live = true;
    return rejoin;
  }

  /** The consumer crashed; true when subscribers must drop derived state. */
  crashed(): boolean {
    const wasLive = this.live;
    this.live = false;
    return wasLive;
  }
}
