import keyvTestSuite from '@keyv/test-suite';
import Keyv, { type KeyvStoreAdapter } from 'keyv';

type Context = { expect: typeof expect };
type Case = (context: Context) => unknown;

// @keyv/test-suite 2 takes vitest's module and calls its cases as `it(name, (t) => ...)`
// with `t.expect`; jest would read that parameter as a done callback. This hands the cases
// jest's own it/expect/hooks, so they run as written.
const jestAsVitest = {
  it: (name: string, run: Case) => it(name, async () => void (await run({ expect }))),
  beforeEach: (hook: () => unknown) => beforeEach(async () => void (await hook())),
  afterEach: (hook: () => unknown) => afterEach(async () => void (await hook())),
};

/** Keyv's own cases for a storage adapter (API, values, namespaces), as jest tests. */
export function runKeyvStoreSuite(store: () => KeyvStoreAdapter): void {
  keyvTestSuite(jestAsVitest as unknown as Parameters<typeof keyvTestSuite>[0], Keyv, store);
}
