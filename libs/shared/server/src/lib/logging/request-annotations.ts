import type { IncomingMessage } from 'node:http';

// Facts a service learns while handling a request (the caller's subject, say) that belong
// on the request's completion log line. Keyed by the raw request, so middleware can add them.
const annotations = new WeakMap<IncomingMessage, Record<string, unknown>>();

/** Adds fields to the request's "request completed" log line. */
export function annotateRequest(request: IncomingMessage, fields: Record<string, unknown>): void {
  annotations.set(request, { ...annotations.get(request), ...fields });
}

export function requestAnnotations(request: IncomingMessage): Record<string, unknown> | undefined {
  return annotations.get(request);
}
