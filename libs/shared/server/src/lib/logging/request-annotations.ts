import type { IncomingMessage } from 'node:http';

// Facts a service learns while handling a request (the caller's subject, say) that belong
// on the request's completion log line. A symbol-keyed property on the raw request: on the
// predict hot path it costs a fraction of a WeakMap entry.
const ANNOTATIONS = Symbol('mlrun.requestAnnotations');

type Annotated = IncomingMessage & { [ANNOTATIONS]?: Record<string, unknown> };

/** Adds fields to the request's "request completed" log line. */
export function annotateRequest(request: IncomingMessage, fields: Record<string, unknown>): void {
  const annotated = request as Annotated;
  const current = annotated[ANNOTATIONS];
  annotated[ANNOTATIONS] = current ? Object.assign(current, fields) : fields;
}

export function requestAnnotations(request: IncomingMessage): Record<string, unknown> | undefined {
  return (request as Annotated)[ANNOTATIONS];
}
