import path from 'node:path';

import { readManifestFile } from '@ml-run/model-contract';

/** --model's bundle as its cases load it. */
export type ModelUnderTest = { dir: string; workers: number; body: string; contentType: string };

/**
 * The bundle given with --model, sent --body or else its manifest's selfTest.input (a
 * request the model answers by contract), as JSON when the body is JSON.
 */
export async function modelUnderTest(flags: {
  model?: string;
  body?: string;
  workers: number;
}): Promise<ModelUnderTest | undefined> {
  if (flags.model === undefined) return undefined;
  const dir = path.resolve(flags.model);
  const body = flags.body ?? (await readManifestFile(dir)).selfTest?.input;
  if (body === undefined)
    throw new Error(`--model ${flags.model}: its manifest has no selfTest.input; give --body.`);
  return { dir, workers: flags.workers, body, contentType: contentTypeOf(body) };
}

export function contentTypeOf(body: string): string {
  try {
    JSON.parse(body);
    return 'application/json';
  } catch {
    return 'text/plain';
  }
}
