// Integration tests (`*.int-spec.ts`): each talks to a real component started by
// tools/services (Ignite, Kafka, slapd). One worker: the services are shared and the
// machine has two cores.
const preset = require('./jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'integration',
  rootDir: __dirname,
  roots: ['<rootDir>/libs', '<rootDir>/apps'],
  testMatch: ['**/*.int-spec.ts'],
  passWithNoTests: false,
  maxWorkers: 1,
  testTimeout: 60_000,
};
