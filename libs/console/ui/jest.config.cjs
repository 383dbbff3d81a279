// Pure logic only (.ts in node): the browser test (apps/e2e) covers the components.
module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'console-ui' };
