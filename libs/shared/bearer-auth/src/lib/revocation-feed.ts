import type { TokenEvent } from '@ml-run/token-contract';

/**
 * Where token events come from: any event subscriber (the in-process bus, SSE from the
 * validator, Kafka) fits this shape. Declared here, not imported, because a platform lib
 * may not depend on an adapter lib.
 */
export type RevocationFeed = {
  subscribe(
    topic: string,
    handler: (event: TokenEvent) => void | Promise<void>,
    options?: { onGap?: () => void },
  ): () => void;
};

export const REVOCATION_FEED = Symbol('REVOCATION_FEED');
