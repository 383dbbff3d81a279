// System tests: they start built apps (dist/apps/*) as processes and speak HTTP only.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'e2e',
  testMatch: ['**/*.e2e-spec.ts'],
  testTimeout: 120_000,
  maxWorkers: 1,
};
