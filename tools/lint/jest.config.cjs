module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'workspace-rules',
  testTimeout: 60_000,
};
