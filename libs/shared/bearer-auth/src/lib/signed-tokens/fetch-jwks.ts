import type { TokenJwks } from '@ml-run/token-contract';

/** Reads a JWKS over HTTP(S); rejects on anything but a 200 JSON answer within timeoutMs. */
export async function fetchJwks(url: string, timeoutMs: number): Promise<TokenJwks> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (response.status !== 200) throw new Error(`the JWKS at ${url} answered ${response.status}`);
  return (await response.json()) as TokenJwks;
}
