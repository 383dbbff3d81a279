module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'prediction-contract' };
