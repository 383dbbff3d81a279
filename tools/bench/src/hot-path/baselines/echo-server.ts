// The floor of the hot path: node:http answering each POST with its body, nothing else.
// PORT from the environment; the harness runs it as its own process so its CPU is its own.
import { createServer } from 'node:http';

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env['PORT']), '127.0.0.1');
// Exit at once: an orderly exit still writes a --cpu-prof profile.
process.on('SIGTERM', () => process.exit(0));
