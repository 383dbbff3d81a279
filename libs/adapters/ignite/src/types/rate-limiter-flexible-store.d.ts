// rate-limiter-flexible 11 documents RateLimiterStoreAbstract as the class every store
// extends and types it at the package root, but its index.js does not export it: the class
// is reached by its file, typed here as the root's declaration.
declare module 'rate-limiter-flexible/lib/RateLimiterStoreAbstract' {
  import { RateLimiterStoreAbstract } from 'rate-limiter-flexible';

  export = RateLimiterStoreAbstract;
}
