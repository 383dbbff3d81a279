module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'model-wrapper' };
