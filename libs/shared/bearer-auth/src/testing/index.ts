export { FakeValidator } from './fake-validator';
export { sign, testClaims, testKey, type TestKey } from './signed-token-test-keys';
