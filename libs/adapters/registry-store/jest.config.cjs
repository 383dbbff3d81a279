module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'registry-store' };
