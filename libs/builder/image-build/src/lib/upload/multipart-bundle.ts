import type { IncomingHttpHeaders } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import busboy from 'busboy';

import { BuilderError } from '@ml-run/builder-registry';
import { RegistryErrorCode } from '@ml-run/registry-contract';

/** The form field a multipart upload carries the zip in (docs/architecture.md §2). */
export const BUNDLE_FIELD = 'bundle';

// Besides the zip, a form needs little: a few small fields at most. Bounding every part
// keeps a form from smuggling anything but the zip; the whole body is capped too (Fastify's
// bodyLimit at MLRUN_MAX_BUNDLE_BYTES).
const LIMITS = {
  files: 1,
  fields: 16,
  parts: 17,
  fieldNameSize: 100,
  fieldSize: 16 * 1024,
  headerPairs: 20,
};

/**
 * The `bundle` file of a multipart/form-data body, as a stream: the zip is never buffered,
 * so the upload's own size cap and hashing apply unchanged. Fields sent before the file are
 * added to `fields` (name → values); later ones are ignored, and a form with more or bigger
 * parts than a bundle upload needs is refused.
 */
export function multipartBundle(
  body: Readable,
  headers: IncomingHttpHeaders,
  fields = new Map<string, string[]>(),
): Promise<Readable> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers, limits: LIMITS });
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
    const tooMany = (what: string, max: number) => () => {
      reject(invalidForm(`more than ${max} ${what}`));
      body.unpipe(parser);
      body.resume();
    };
    parser.on('partsLimit', tooMany('parts', LIMITS.parts));
    parser.on('fieldsLimit', tooMany('fields', LIMITS.fields));
    parser.on('field', (name, value, info: busboy.FieldInfo) => {
      if (info.valueTruncated) tooMany(`bytes in a field`, LIMITS.fieldSize)();
      else if (!found) fields.set(name, [...(fields.get(name) ?? []), value]);
    });
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
