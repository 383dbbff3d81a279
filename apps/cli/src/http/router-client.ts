import { segment, send, type ServiceEndpoint } from './service-endpoint';

/** A version, else an alias (the router uses `stable` when neither is given). */
export type PredictTarget = { name: string; version?: string; alias?: string };
export type PredictAnswer = { status: number; contentType: string; body: string };

function predictPath(target: PredictTarget): string {
  const base = `/v1/models/${segment(target.name)}`;
  if (target.version !== undefined) return `${base}/versions/${segment(target.version)}/predict`;
  if (target.alias !== undefined)
    return `${base}/predict?alias=${encodeURIComponent(target.alias)}`;
  return `${base}/predict`;
}

/** The router's predict endpoints. */
export class RouterClient {
  constructor(private readonly endpoint: ServiceEndpoint) {}

  async predict(target: PredictTarget, input: string): Promise<PredictAnswer> {
    const response = await send(this.endpoint, predictPath(target), {
      method: 'POST',
      headers: { 'content-type': contentTypeOf(input) },
      body: input,
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: await response.text(),
    };
  }
}

/** JSON when the input parses as JSON, else plain text (the model gets the raw body either way). */
export function contentTypeOf(input: string): string {
  try {
    JSON.parse(input);
    return 'application/json';
  } catch {
    return 'text/plain; charset=utf-8';
  }
}
