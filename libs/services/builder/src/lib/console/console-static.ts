import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyReply } from 'fastify';

import { BuilderError, BuilderErrorCode } from '@ml-run/builder-registry';

/** What every /console answer carries: the console runs only its own code, in no frame. */
export const CONSOLE_HEADERS: Record<string, string> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    // Mantine sets style attributes at run time; no script may be inline.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

// esbuild's `[name]-[hash]` names: their content never changes under the same name.
const HASHED_NAME = /-[A-Z0-9]{8}\.[a-z0-9]+$/;

/**
 * Serves the built console from `dir`: a file by its path under /console/, and index.html
 * for any other path that names no asset (the console's own routes).
 */
export class ConsoleFiles {
  constructor(private readonly dir: string) {}

  async serve(
    rest: string,
    acceptEncoding: string | undefined,
    reply: FastifyReply,
  ): Promise<void> {
    const index = path.join(this.dir, 'index.html');
    if (!(await isFile(index))) {
      throw new BuilderError(
        BuilderErrorCode.ConsoleNotBuilt,
        'the console is not built on this builder: run npm run build (or point MLRUN_CONSOLE_DIR at the built console)',
      );
    }
    const segments = rest.split('/').filter((segment) => segment !== '');
    const last = segments.at(-1) ?? '';
    const file = this.fileOf(segments);
    if (file !== undefined && (await isFile(file))) {
      const cacheControl = HASHED_NAME.test(last) ? IMMUTABLE : 'no-cache';
      return send(reply, file, cacheControl, await compressedCopy(file, acceptEncoding));
    }
    // A missing asset is an error; anything else is one of the console's own routes
    // (a version like 1.0.0+6526c66fa490 has a dot, yet no asset's extension).
    if (path.extname(last).toLowerCase() in CONTENT_TYPES) {
      throw new BuilderError(BuilderErrorCode.NotFound, `no console file /console/${rest}`);
    }
    return send(reply, index, 'no-cache', undefined);
  }

  // Segments arrive decoded: none may climb out of the directory or name a hidden file.
  private fileOf(segments: string[]): string | undefined {
    const unsafe = segments.some((s) => s.startsWith('.') || /[\\\0]/.test(s));
    if (unsafe) return undefined;
    const file = path.resolve(this.dir, ...segments);
    return file.startsWith(path.resolve(this.dir) + path.sep) ? file : undefined;
  }
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

type CompressedCopy = { file: string; encoding: 'br' | 'gzip' };

// The console build writes a brotli and a gzip copy beside each script and stylesheet
// (a first load of ~770 KiB travels as ~220 KiB); Chromium asks for br only over HTTPS.
async function compressedCopy(
  file: string,
  acceptEncoding: string | undefined,
): Promise<CompressedCopy | undefined> {
  const accepted = acceptedEncodings(acceptEncoding);
  for (const [encoding, suffix] of [
    ['br', '.br'],
    ['gzip', '.gz'],
  ] as const) {
    if (accepted.has(encoding) && (await isFile(file + suffix))) {
      return { file: file + suffix, encoding };
    }
  }
  return undefined;
}

// `br, gzip;q=0.8, deflate;q=0` → {br, gzip}: an encoding with q=0 is refused.
function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const q = params.find((param) => param.startsWith('q='));
    if (name !== '' && (q === undefined || Number(q.slice(2)) > 0)) accepted.add(name);
  }
  return accepted;
}

function send(
  reply: FastifyReply,
  file: string,
  cacheControl: string,
  copy: CompressedCopy | undefined,
): FastifyReply {
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  reply.headers(CONSOLE_HEADERS).header('cache-control', cacheControl).type(type);
  if (copy === undefined) return reply.send(createReadStream(file));
  return reply
    .header('content-encoding', copy.encoding)
    .header('vary', 'accept-encoding')
    .send(createReadStream(copy.file));
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
