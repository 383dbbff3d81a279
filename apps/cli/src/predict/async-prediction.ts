import { setTimeout as sleep } from 'node:timers/promises';

import type { PredictionView } from '@ml-run/prediction-contract';

import type { CliDeps } from '../cli-deps';
import { CliError } from '../cli.errors';
import type { RouterClient } from '../http/router-client';
import { authorizedClients } from '../session/clients';

export type WaitOptions = { wait?: boolean; timeout?: string };

const POLL_MS = 200;

/** Polls a prediction until it is no longer pending, or `timeoutSeconds` have passed. */
export async function settledPrediction(
  router: RouterClient,
  id: string,
  timeoutSeconds: number,
): Promise<PredictionView> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const view = await router.prediction(id);
    if (view.status !== 'pending') return view;
    if (Date.now() > deadline) {
      throw new CliError(
        `prediction ${id} is still pending after ${timeoutSeconds} s; read it later with: ml-run prediction ${id}`,
      );
    }
    await sleep(POLL_MS);
  }
}

/** A settled prediction's output as `predict` prints it; a failed one is an error. */
export function outputOf(view: PredictionView): string {
  if (view.status === 'failed') {
    throw new CliError(`prediction ${view.id} failed: ${view.error?.code}: ${view.error?.message}`);
  }
  return (view.output ?? '').replace(/\r?\n$/, '');
}

export function timeoutOf(options: WaitOptions): number {
  const seconds = Number(options.timeout ?? '300');
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new CliError('--timeout must be a positive number of seconds');
  }
  return seconds;
}

/** `ml-run prediction <id>`: the record as JSON, or with --wait the output once settled. */
export async function showPrediction(deps: CliDeps, id: string, options: WaitOptions) {
  const { router } = await authorizedClients(deps);
  if (!options.wait) {
    deps.out(JSON.stringify(await router.prediction(id), null, 2));
    return;
  }
  deps.out(outputOf(await settledPrediction(router, id, timeoutOf(options))));
}
