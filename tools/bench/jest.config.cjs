module.exports = { ...require('../../jest.preset.cjs'), displayName: 'bench', testTimeout: 60_000 };
