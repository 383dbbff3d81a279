module.exports = { ...require('../../jest.preset.cjs'), displayName: 'token-validator-app' };
