import type { ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';

import { bearerCredential, tokenHash } from '@ml-run/token-contract';

/** How long-lived streams (server-sent events) are bounded and kept open; from config. */
export type StreamLimits = {
  /** MLRUN_MAX_STREAMS_PER_CREDENTIAL */
  maxPerCredential: number;
  /** MLRUN_STREAM_HEARTBEAT_MS */
  heartbeatMs: number;
};

/** How long a refused caller should wait: streams end when builds end or clients go. */
const RETRY_AFTER_SECONDS = 5;

/** All of a credential's stream slots are taken: 429 with Retry-After. */
export class TooManyStreamsError extends Error {
  readonly code = 'TOO_MANY_STREAMS';
  readonly retryAfterSeconds = RETRY_AFTER_SECONDS;

  constructor(max: number) {
    super(
      `this credential has ${max} streams open already (MLRUN_MAX_STREAMS_PER_CREDENTIAL); ` +
        `close one, or retry in ${RETRY_AFTER_SECONDS} s`,
    );
    this.name = 'TooManyStreamsError';
  }
}

/**
 * What every long-lived stream of a service shares: at most `maxPerCredential` open per
 * presented credential, and a heartbeat. Streams outlive MLRUN_REQUEST_TIMEOUT_MS by nature:
 * that bound covers receiving a request, and a stream's request is a bodiless GET.
 */
export class LongLivedStreams {
  private readonly open = new Map<string, number>();

  constructor(readonly limits: StreamLimits) {}

  /** From a service's MLRUN_ settings (streamConfigShape in @ml-run/config). */
  static fromSettings(settings: {
    MLRUN_MAX_STREAMS_PER_CREDENTIAL: number;
    MLRUN_STREAM_HEARTBEAT_MS: number;
  }): LongLivedStreams {
    return new LongLivedStreams({
      maxPerCredential: settings.MLRUN_MAX_STREAMS_PER_CREDENTIAL,
      heartbeatMs: settings.MLRUN_STREAM_HEARTBEAT_MS,
    });
  }

  /**
   * Takes one of the caller's slots until `response` closes; throws TooManyStreamsError when
   * its credential holds them all. Call it before the reply is taken over, so the refusal
   * is answered like any error.
   */
  admit(request: FastifyRequest, response: ServerResponse): void {
    const key = credentialKey(request.headers.authorization);
    const taken = this.open.get(key) ?? 0;
    if (taken >= this.limits.maxPerCredential) {
      throw new TooManyStreamsError(this.limits.maxPerCredential);
    }
    this.open.set(key, taken + 1);
    response.once('close', () => this.release(key));
  }

  /** Calls `beat` every heartbeatMs until `response` closes (idle proxies close quiet streams). */
  keepAlive(response: ServerResponse, beat: () => void): void {
    const heartbeat = setInterval(beat, this.limits.heartbeatMs);
    heartbeat.unref();
    response.once('close', () => clearInterval(heartbeat));
  }

  private release(key: string): void {
    const left = (this.open.get(key) ?? 1) - 1;
    if (left > 0) this.open.set(key, left);
    else this.open.delete(key);
  }
}

// The credential itself, however the header spells "Bearer" or its spaces, keyed by its hash
// (never kept raw): a service credential shared by a role's processes, or a user's token.
// Whoever holds it, the cap holds when one credential is split into several.
function credentialKey(authorization: string | undefined): string {
  const credential = bearerCredential(authorization);
  return credential === undefined ? 'no credential' : tokenHash(credential);
}
