// Splits a worker's log output (stderr; stdout too when frames travel on fd 3) into lines for
// the log, and keeps the last few for crash reports.
import { StringDecoder } from 'node:string_decoder';

const DEFAULT_TAIL_LINES = 20;
// A model that writes megabytes without a newline must not grow this buffer without bound.
const MAX_LINE_CHARS = 16 * 1024;

export class OutputLines {
  private readonly decoder = new StringDecoder('utf8');
  private readonly tail: string[] = [];
  private partial = '';

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly tailLines = DEFAULT_TAIL_LINES,
  ) {}

  push(chunk: Buffer): void {
    const lines = (this.partial + this.decoder.write(chunk)).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.emit(line);
    if (this.partial.length > MAX_LINE_CHARS) {
      this.emit(this.partial);
      this.partial = '';
    }
  }

  /** Flushes an unterminated last line. */
  end(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    this.emit(rest);
  }

  /** The last lines seen, oldest first. */
  lines(): string[] {
    return [...this.tail];
  }

  private emit(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    this.tail.push(line);
    if (this.tail.length > this.tailLines) this.tail.shift();
    this.onLine(line);
  }
}
