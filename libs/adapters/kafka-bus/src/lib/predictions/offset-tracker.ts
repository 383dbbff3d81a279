/**
 * The offsets of one fetched batch, completed in any order; answers how far the
 * partition may be committed: up to the last offset before which everything completed.
 */
export class OffsetTracker {
  private readonly done = new Set<string>();
  private next = 0;

  constructor(private readonly offsets: readonly string[]) {}

  /** Marks `offset` done; the new last contiguous done offset, or undefined if unchanged. */
  complete(offset: string): string | undefined {
    this.done.add(offset);
    const before = this.next;
    while (this.next < this.offsets.length && this.done.has(this.offsets[this.next] ?? '')) {
      this.next++;
    }
    return this.next > before ? this.offsets[this.next - 1] : undefined;
  }
}
