const MAX_LINES = 20;
const MAX_LINE_CHARS = 2_000;

/**
 * The last lines a replica wrote on one stream: enough to say why it died, bounded so a
 * chatty model cannot grow the deployer's memory.
 */
export class OutputTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(private readonly onLine: (line: string) => void = () => undefined) {}

  write(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = (parts.pop() ?? '').slice(-MAX_LINE_CHARS);
    for (const line of parts) this.add(line);
  }

  /** Flushes a last line that had no newline (the process ended). */
  end(): void {
    if (this.partial) this.add(this.partial);
    this.partial = '';
  }

  /** The last `count` non-empty lines, oldest first. */
  text(count = 5): string {
    const pending = this.partial ? [this.partial] : [];
    return [...this.lines, ...pending].slice(-count).join('\n');
  }

  private add(line: string): void {
    const trimmed = line.replace(/\r$/, '').slice(0, MAX_LINE_CHARS);
    if (!trimmed.trim()) return;
    this.lines.push(trimmed);
    if (this.lines.length > MAX_LINES) this.lines.shift();
    this.onLine(trimmed);
  }
}
