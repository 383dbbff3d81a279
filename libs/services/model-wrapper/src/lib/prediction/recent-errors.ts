import { Injectable } from '@nestjs/common';

import type { RecentError } from '@ml-run/registry-contract';

import { RuntimeErrorCode } from '../runtime/runtime.errors';

/** How many failed predictions a replica remembers (GET /v1/errors). */
export const RECENT_ERRORS_KEPT = 50;
// A model's message may quote its input: kept short, and never the request body itself.
const MESSAGE_CHARS = 500;

/**
 * The replica's last failed predictions, newest first: answers of 500 and up (a crashed
 * worker, a model that is not ready) and the model's own errors (422). A caller's refused
 * token or a full in-flight gate is the caller's story, not the model's, and is left out.
 * Holds no body and no token: status, code, message, request id and time.
 */
@Injectable()
export class RecentPredictionErrors {
  private readonly ring: RecentError[] = [];
  private next = 0;

  record(status: number, code: string | undefined, message: string, requestId?: string): void {
    if (status < 500 && code !== RuntimeErrorCode.PredictFailed) return;
    const error: RecentError = {
      at: new Date().toISOString(),
      source: 'prediction',
      status,
      ...(code === undefined ? {} : { code }),
      message: message.length > MESSAGE_CHARS ? `${message.slice(0, MESSAGE_CHARS)}…` : message,
      ...(requestId === undefined ? {} : { requestId }),
    };
    this.ring[this.next] = error;
    this.next = (this.next + 1) % RECENT_ERRORS_KEPT;
  }

  /** Newest first. */
  list(): RecentError[] {
    const oldestFirst = [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    return oldestFirst.reverse();
  }
}
