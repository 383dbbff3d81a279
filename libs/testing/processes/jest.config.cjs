module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'process-testing' };
