export { MemoryTokenStore } from './lib/memory-token-store';
export { TOKEN_STORE, type TokenRecord, type TokenStore } from './lib/token-store.port';
