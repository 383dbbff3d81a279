module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'bearer-auth' };
