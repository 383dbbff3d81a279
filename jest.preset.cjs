// Nest 12 ships ESM only; Jest runs CommonJS, so swc transforms our TypeScript and the
// ESM-only packages under node_modules into CommonJS with decorator metadata.
const { swcOptions } = require('./tools/build/swc-options.cjs');
const { esmPackages } = require('./tools/jest/esm-packages.cjs');

const escape = (name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj)s$': ['@swc/jest', swcOptions('commonjs')],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages().map(escape).join('|')})/)`],
  passWithNoTests: true,
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  moduleNameMapper: require('./tools/jest/path-aliases.cjs'),
  testMatch: ['**/*.spec.ts', '**/*.security-spec.ts'],
};
