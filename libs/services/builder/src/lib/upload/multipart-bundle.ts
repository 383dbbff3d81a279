import type { IncomingHttpHeaders } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import busboy from 'busboy';

import { RegistryErrorCode } from '@ml-run/registry-contract';

import { BuilderError } from '../builder.errors';

/** The form field a multipart upload carries the zip in (docs/architecture.md §2). */
export const BUNDLE_FIELD = 'bundle';

/**
 * The `bundle` file of a multipart/form-data body, as a stream: the zip is never buffered,
 * so the upload's own size cap and hashing apply unchanged. Other fields are ignored.
 */
export function multipartBundle(body: Readable, headers: IncomingHttpHeaders): Promise<Readable> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers, limits: { files: 1 } });
    } catch (error) {
      reject(invalidForm(error instanceof Error ? error.message : String(error)));
      return;
    }
    let found = false;
    parser.on('file', (field, file) => {
      if (field !== BUNDLE_FIELD || found) return file.resume();
      found = true;
      const out = new PassThrough();
      file.on('error', (error) => out.destroy(error));
      resolve(file.pipe(out));
    });
    parser.on('error', (error: Error) => reject(invalidForm(error.message)));
    parser.on('close', () => {
      if (!found) reject(invalidForm(`no file field named "${BUNDLE_FIELD}"`));
    });
    body.pipe(parser);
  });
}

function invalidForm(reason: string): BuilderError {
  return new BuilderError(
    RegistryErrorCode.UnsupportedUpload,
    `the multipart upload is unusable (${reason}): send the zip as the file field "${BUNDLE_FIELD}" (curl -F bundle=@model.zip) or as the raw body with content-type: application/zip`,
  );
}
