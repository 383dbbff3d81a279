// The node worker's side of the frame protocol: requests in, replies out, on one duplex
// channel (fd 3). Predicts run concurrently (a model's predict may be async); each reply
// carries its request's id, so they may leave in any order.
import type { Duplex } from 'node:stream';

import { FrameDecoder, FrameError, FrameWriter } from '../../worker/frame-codec';
import type { WorkerReply } from '../../worker/worker-protocol';
import type { NodeWorker } from './node-worker';

/** Why the worker ends: 0 at the end of the requests, 2 on a frame that is not a request. */
export const EXIT_PROTOCOL_ERROR = 2;

type Request = Record<string, unknown> & { id: number };

export function serveFrames(
  channel: Duplex,
  worker: Pick<NodeWorker, 'handle'>,
  end: (code: number, reason?: string) => void,
): void {
  const decoder = new FrameDecoder();
  const writer = new FrameWriter(channel);
  channel.on('data', (chunk: Buffer) => {
    let requests: Request[];
    try {
      requests = decoder.push(chunk).map(asRequest);
    } catch (error) {
      return end(EXIT_PROTOCOL_ERROR, `protocol error: ${(error as Error).message}`);
    }
    for (const request of requests)
      void worker.handle(request).then((reply) => send(writer, reply));
  });
  channel.on('end', () => {
    writer.flush();
    end(0);
  });
  // The wrapper went away: nobody is left to answer.
  channel.on('error', () => end(0));
}

function asRequest(frame: unknown): Request {
  const fields = frame as Record<string, unknown> | null;
  if (typeof frame !== 'object' || frame === null || !Number.isInteger(fields?.['id'])) {
    throw new FrameError('frame is not an object with an integer id');
  }
  return frame as Request;
}

// An output too large for a frame fails its request, not the worker.
function send(writer: FrameWriter, reply: WorkerReply): void {
  try {
    writer.write(reply);
  } catch (error) {
    const message = (error as Error).message;
    writer.write({
      id: reply.id,
      ok: false,
      error: { type: 'FrameError', message, traceback: '' },
    });
  }
}
