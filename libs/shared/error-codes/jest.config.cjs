module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'error-codes' };
