import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';

/** One principal of the image registry (an htpasswd user). */
export type RegistryCredential = { username: string; password: string };

/**
 * How the builder reaches the image registry: its address (host:port, as in image
 * references), the CA its TLS certificate is checked against (PEM; unset: the system's),
 * and one credential per role. The builder pushes with `push`; deployers hand `pull` to
 * Swarm, whose nodes pull with it.
 */
export type RegistryAccess = {
  address: string;
  ca?: string;
  push?: RegistryCredential;
  pull?: RegistryCredential;
};

/** Docker's auth config (X-Registry-Auth) for the registry at `address`. */
export type DockerAuthConfig = { serveraddress: string; username?: string; password?: string };

export function authConfigOf(address: string, credential?: RegistryCredential): DockerAuthConfig {
  return credential ? { ...credential, serveraddress: address } : { serveraddress: address };
}

/** The CA file's PEM text; a file that is missing or holds no certificate fails start. */
export function readCa(file: string): string {
  const pem = readFileSync(file, 'utf8');
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(`${file} holds no PEM certificate`);
  }
  return pem;
}

export type RegistryAnswer = { status: number; headers: Record<string, string>; body: string };

/**
 * A request to the registry's HTTP API (`/v2/...`) over TLS checked against `access.ca`,
 * with `credential` as basic auth when given. Never plain HTTP: a password must not cross
 * even loopback in clear (a process on the host network could read it).
 */
export function registryRequest(
  access: Pick<RegistryAccess, 'address' | 'ca'>,
  path: string,
  options: {
    method?: string;
    credential?: RegistryCredential;
    headers?: Record<string, string>;
    body?: string;
    timeoutMs?: number;
  } = {},
): Promise<RegistryAnswer> {
  const { method = 'GET', credential, headers = {}, body, timeoutMs = 10_000 } = options;
  const auth = credential
    ? { authorization: `Basic ${basic(credential)}` }
    : ({} as Record<string, string>);
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      `https://${access.address}${path}`,
      { method, headers: { ...headers, ...auth }, ca: access.ca, timeout: timeoutMs },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: flatHeaders(response.headers),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

function basic(credential: RegistryCredential): string {
  return Buffer.from(`${credential.username}:${credential.password}`).toString('base64');
}

function flatHeaders(headers: Record<string, string | string[] | undefined>) {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
