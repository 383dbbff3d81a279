module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'keyed-mutex' };
