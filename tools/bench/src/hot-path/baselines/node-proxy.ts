// The plain node:http proxy: node:http in, http.request with a keep-alive Agent out to
// UPSTREAM. Bodies are small: read whole, sent on with their length. A second floor for
// the router, without undici.
import { Agent, createServer, request as forward, type IncomingMessage } from 'node:http';

const upstream = new URL(String(process.env['UPSTREAM']));
const agent = new Agent({ keepAlive: true, maxSockets: 128 });

function collect(stream: IncomingMessage, done: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(Buffer.concat(chunks)));
}

const server = createServer((request, response) => {
  collect(request, (body) => {
    const type = request.headers['content-type'] ?? 'application/octet-stream';
    const outgoing = forward(
      {
        agent,
        host: upstream.hostname,
        port: upstream.port,
        path: request.url,
        method: request.method,
        headers: { 'content-type': type, 'content-length': body.length },
      },
      (answer) =>
        collect(answer, (data) => {
          const answerType = answer.headers['content-type'] ?? 'application/octet-stream';
          response.writeHead(answer.statusCode ?? 502, {
            'content-type': answerType,
            'content-length': data.length,
          });
          response.end(data);
        }),
    );
    outgoing.on('error', () =>
      response.headersSent ? response.destroy() : response.writeHead(502).end(),
    );
    outgoing.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env['PORT']), '127.0.0.1');
// Exit at once: an orderly exit still writes a --cpu-prof profile.
process.on('SIGTERM', () => process.exit(0));
