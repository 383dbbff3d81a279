export { MemoryTokenStore } from './lib/memory-token-store';
export {
  findLiveRecord,
  issuedAtMs,
  TOKEN_STORE,
  type TokenRecord,
  type TokenStore,
} from './lib/token-store.port';
