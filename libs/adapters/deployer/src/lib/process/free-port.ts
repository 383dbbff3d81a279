import { once } from 'node:events';
import { createServer } from 'node:net';

/** A port the kernel reports free on `host` (another process may still take it first). */
export async function freePort(host: string): Promise<number> {
  const server = createServer().listen(0, host);
  await once(server, 'listening');
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error(`no free port on ${host}`);
  return address.port;
}
