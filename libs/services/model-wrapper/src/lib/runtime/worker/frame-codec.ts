// Frames of the worker protocol (python and node): a 4-byte big-endian length, then UTF-8 JSON.
import type { Writable } from 'node:stream';

const HEADER_BYTES = 4;
const MAX_UINT32 = 0xffffffff;

// Request bodies are capped at 10 MiB by default; outputs get generous headroom.
export const DEFAULT_MAX_FRAME_BYTES = 512 * 1024 * 1024;

export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

/** One buffer, header and body: measured leaner than a header and a body written apart. */
export function encodeFrame(message: unknown): Buffer {
  const json = JSON.stringify(message);
  const length = Buffer.byteLength(json, 'utf8');
  if (length > MAX_UINT32) {
    throw new FrameError(`frame of ${length} bytes does not fit a 32-bit length`);
  }
  const frame = Buffer.allocUnsafe(HEADER_BYTES + length);
  frame.writeUInt32BE(length, 0);
  frame.write(json, HEADER_BYTES, 'utf8');
  return frame;
}

/**
 * Writes frames to a stream; throws FrameError (before writing) when one cannot be encoded.
 * Frames written in one turn of the event loop leave in one write at its end (setImmediate:
 * after every socket callback of the turn), so under load many requests share one syscall.
 */
export class FrameWriter {
  private batch: Buffer[] = [];
  private scheduled = false;

  constructor(private readonly stream: Writable) {}

  write(message: unknown): void {
    this.batch.push(encodeFrame(message));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  /** Writes what is batched now (before the stream is ended, say). */
  readonly flush = (): void => {
    this.scheduled = false;
    const frames = this.batch;
    if (frames.length === 0 || this.stream.writableEnded || this.stream.destroyed) return;
    this.batch = [];
    this.stream.write(frames.length === 1 ? frames[0] : Buffer.concat(frames));
  };
}

// Streaming decoder: chunks may split a frame anywhere or carry several frames.
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private bodyBytes: number | undefined;

  constructor(private readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {}

  /** Bytes received but not yet part of a complete frame. */
  get pendingBytes(): number {
    return this.buffered + (this.bodyBytes === undefined ? 0 : HEADER_BYTES);
  }

  /** Returns every frame the chunk completes, in order; throws FrameError on garbage. */
  push(chunk: Buffer): unknown[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: unknown[] = [];
    for (;;) {
      if (this.bodyBytes === undefined) {
        if (this.buffered < HEADER_BYTES) return frames;
        this.bodyBytes = this.readLength();
      }
      if (this.buffered < this.bodyBytes) return frames;
      const body = this.take(this.bodyBytes);
      this.bodyBytes = undefined;
      frames.push(parseBody(body));
    }
  }

  private readLength(): number {
    const length = this.take(HEADER_BYTES).readUInt32BE(0);
    if (length > this.maxFrameBytes) {
      throw new FrameError(`frame of ${length} bytes exceeds the ${this.maxFrameBytes} byte limit`);
    }
    return length;
  }

  // Concatenates only when a whole frame is there, so a large frame is copied once.
  private take(size: number): Buffer {
    const all =
      this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
    const rest = all.subarray(size);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return all.subarray(0, size);
  }
}

function parseBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new FrameError(`frame is not JSON: ${(error as Error).message}`);
  }
}
