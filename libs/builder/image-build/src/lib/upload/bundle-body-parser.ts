import { errorCodes, type FastifyInstance } from 'fastify';

/** The content types a bundle upload may use: its body is the zip itself. */
export const BUNDLE_CONTENT_TYPES = ['application/zip', 'application/octet-stream'];

/** The one route that takes a raw body. */
export const UPLOAD_ROUTE = '/v1/models';

/**
 * Passes bundle bodies through unread (no parseAs): the upload streams them to disk under
 * its own cap, so the small global body limit stays in force for every JSON endpoint.
 * multipart/form-data passes too: the upload reads its `bundle` field as a stream. Any
 * other route answers these types with 415.
 */
export function registerBundleBodyParser(fastify: FastifyInstance, maxBundleBytes: number): void {
  fastify.addContentTypeParser(
    [...BUNDLE_CONTENT_TYPES, 'multipart/form-data'],
    { bodyLimit: maxBundleBytes },
    (request, payload, done) => {
      if (request.method === 'POST' && request.routeOptions.url === UPLOAD_ROUTE) {
        done(null, payload);
        return;
      }
      done(
        new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(request.headers['content-type']),
        undefined,
      );
    },
  );
}
