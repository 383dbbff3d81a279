// The least a proxy can be in node: node:http in, an undici Pool (keep-alive) out to
// UPSTREAM. Bodies are small: read whole, sent on with their length. What the router is
// measured against.
import { createServer, type IncomingMessage } from 'node:http';
import { Pool } from 'undici';

const upstream = new Pool(String(process.env['UPSTREAM']), { connections: 128 });

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const server = createServer((request, response) => {
  void (async () => {
    const answer = await upstream.request({
      path: request.url ?? '/',
      method: request.method === 'POST' ? 'POST' : 'GET',
      headers: { 'content-type': request.headers['content-type'] ?? 'application/octet-stream' },
      body: request.method === 'POST' ? await bodyOf(request) : null,
    });
    const body = Buffer.from(await answer.body.arrayBuffer());
    const type = answer.headers['content-type'] ?? 'application/octet-stream';
    response.writeHead(answer.statusCode, { 'content-type': type, 'content-length': body.length });
    response.end(body);
  })().catch(() => (response.headersSent ? response.destroy() : response.writeHead(502).end()));
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env['PORT']), '127.0.0.1');
// Exit at once: an orderly exit still writes a --cpu-prof profile.
process.on('SIGTERM', () => process.exit(0));
