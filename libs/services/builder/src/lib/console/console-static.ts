import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyReply } from 'fastify';

import { BuilderError, BuilderErrorCode } from '../builder.errors';

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

  async serve(rest: string, reply: FastifyReply): Promise<void> {
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
      return send(reply, file, HASHED_NAME.test(last) ? IMMUTABLE : 'no-cache');
    }
    // A missing asset is an error; anything else is one of the console's own routes
    // (a version like 1.0.0+6526c66fa490 has a dot, yet no asset's extension).
    if (path.extname(last).toLowerCase() in CONTENT_TYPES) {
      throw new BuilderError(BuilderErrorCode.NotFound, `no console file /console/${rest}`);
    }
    return send(reply, index, 'no-cache');
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

function send(reply: FastifyReply, file: string, cacheControl: string): FastifyReply {
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  return reply
    .headers(CONSOLE_HEADERS)
    .header('cache-control', cacheControl)
    .type(type)
    .send(createReadStream(file));
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
