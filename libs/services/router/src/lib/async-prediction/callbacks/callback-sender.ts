import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Logger } from '@nestjs/common';

import { predictionViewOf, type PredictionRecord } from '@ml-run/prediction-contract';

import type { CallbackAddressPolicy, CheckedCallback } from './callback-address-policy';
import { callbackSignature, SIGNATURE_HEADER } from './callback-signature';

/** Where the CallbackSender is injected (null: no MLRUN_CALLBACK_SECRET, no callbacks). */
export const CALLBACK_SENDER = Symbol('CALLBACK_SENDER');

export type CallbackSettings = {
  secret: string;
  timeoutMs: number;
  attempts: number;
  /** Wait before the second attempt; doubles for each next one. */
  retryDelayMs: number;
};

/** How one delivery went: 'gone' answers (a redirect, a 4xx) are not tried again. */
type Attempt = 'delivered' | 'retry' | 'gone';

/**
 * Posts a settled prediction to its callback URL, signed. Each attempt checks the host's
 * addresses again and connects to the address it checked; redirects are never followed
 * (a 3xx is a refusal), each attempt has a deadline, and a failed one is tried again a
 * bounded number of times. The result stays readable with GET whatever happens here.
 */
export class CallbackSender {
  private readonly logger = new Logger(CallbackSender.name);
  private readonly inFlight = new Set<AbortController>();

  constructor(
    private readonly policy: CallbackAddressPolicy,
    private readonly settings: CallbackSettings,
  ) {}

  /** Resolves true once delivered, false once given up; never rejects. */
  async send(record: PredictionRecord): Promise<boolean> {
    if (record.callback === undefined) return false;
    const body = JSON.stringify(predictionViewOf(record));
    for (let attempt = 1; attempt <= this.settings.attempts; attempt++) {
      const outcome = await this.attempt(record.callback.url, record.id, body);
      if (outcome === 'delivered') return true;
      if (outcome === 'gone' || attempt === this.settings.attempts) break;
      await this.pause(this.settings.retryDelayMs * 2 ** (attempt - 1));
    }
    this.logger.warn({ id: record.id, model: record.model }, 'callback given up');
    return false;
  }

  /** Aborts deliveries in flight (shutdown). */
  close(): void {
    for (const controller of this.inFlight) controller.abort();
  }

  private async attempt(url: string, id: string, body: string): Promise<Attempt> {
    let target: CheckedCallback;
    try {
      target = await this.policy.check(url);
    } catch (error) {
      this.logger.warn({ id, err: error }, 'callback host no longer allowed');
      return 'gone';
    }
    try {
      const status = await this.post(target, id, body);
      if (status >= 200 && status < 300) return 'delivered';
      this.logger.warn({ id, status }, 'callback refused');
      return status >= 500 || status === 429 ? 'retry' : 'gone';
    } catch (error) {
      this.logger.warn({ id, err: error }, 'callback failed');
      return 'retry';
    }
  }

  private post(target: CheckedCallback, id: string, body: string): Promise<number> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    // The connection goes to the address just checked, whatever DNS says by now.
    const lookup: LookupFunction = (_host, options, callback) => {
      if (options.all) callback(null, [{ address: target.address, family: target.family }]);
      else callback(null, target.address, target.family);
    };
    const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'x-mlrun-prediction-id': id,
      [SIGNATURE_HEADER]: callbackSignature(this.settings.secret, body, unixNow()),
    };
    return new Promise<number>((resolve, reject) => {
      const call = send(target.url, {
        method: 'POST',
        headers,
        lookup,
        timeout: this.settings.timeoutMs,
        signal: AbortSignal.any([controller.signal, AbortSignal.timeout(this.settings.timeoutMs)]),
      });
      call.once('response', (response: IncomingMessage) => {
        response.resume(); // the answer's body is not ours to read
        resolve(response.statusCode ?? 0);
      });
      call.once('timeout', () => call.destroy(new Error('callback timed out')));
      call.once('error', reject);
      call.end(body);
    }).finally(() => this.inFlight.delete(controller));
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms).unref());
  }
}

function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}
