module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'async-predictions' };
