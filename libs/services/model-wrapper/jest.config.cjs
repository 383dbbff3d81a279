// Most tests here start model worker processes (python3, node) before they can assert
// anything: on a loaded machine that takes seconds, past Jest's default 5 s per test or hook.
module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'model-wrapper',
  testTimeout: 30_000,
};
