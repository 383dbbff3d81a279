module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'builder-deployments' };
