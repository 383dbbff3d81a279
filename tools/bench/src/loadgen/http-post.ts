import { Agent, request } from 'node:http';

/** POSTs the body, drains the answer, resolves with its status; rejects on network errors and timeouts. */
export function post(
  agent: Agent,
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-length': String(Buffer.byteLength(body)), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** The headers of a prediction request: a bearer token when there is one. */
export function predictHeaders(token: string): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'text/plain' };
  if (token) headers['authorization'] = `Bearer ${token}`;
  return headers;
}
