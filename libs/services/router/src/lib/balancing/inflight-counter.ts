/** A model version, as routes and in-flight counts name it. */
export type VersionRef = { name: string; version: string };

type Entry = VersionRef & { count: number };

export function versionKey(ref: VersionRef): string {
  return `${ref.name}@${ref.version}`;
}

/**
 * Requests in flight per model version, counted from dispatch to the client's answer (a
 * retry stays one request). Kept apart from the route table so a version dropped while its
 * last requests finish is still counted: a caller draining it waits for zero.
 */
export class InflightCounter {
  private readonly entries = new Map<string, Entry>();

  begin(ref: VersionRef): void {
    const key = versionKey(ref);
    const entry = this.entries.get(key);
    if (entry) entry.count++;
    else this.entries.set(key, { name: ref.name, version: ref.version, count: 1 });
  }

  end(ref: VersionRef): void {
    const key = versionKey(ref);
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.count--;
    if (entry.count <= 0) this.entries.delete(key);
  }

  /** Every version given (0 when idle) and any other version still answering. */
  counts(routed: readonly VersionRef[]): (VersionRef & { count: number })[] {
    const result = new Map<string, Entry>();
    for (const ref of routed) result.set(versionKey(ref), { ...ref, count: 0 });
    for (const [key, entry] of this.entries) result.set(key, { ...entry });
    return [...result.values()];
  }
}
