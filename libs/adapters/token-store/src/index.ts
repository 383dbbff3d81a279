export { MemoryTokenStore } from './lib/memory-token-store';
export {
  readSignedRecord,
  readSubjectRevocation,
  signedRecordText,
  subjectRevocationKey,
  subjectNotBeforeOf,
  subjectRevocationText,
  trustedRecord,
  type ReadRecord,
} from './lib/signed-token-record';
export { TieredTokenStore, type TieredTokenStoreOptions } from './lib/tiered-token-store';
export {
  findLiveRecord,
  issuedAtMs,
  TOKEN_STORE,
  type TokenRecord,
  type TokenStore,
} from './lib/token-store.port';
export { TOKEN_MAC_KEY_MIN_LENGTH, TokenRecordMac } from './lib/token-record-mac';
